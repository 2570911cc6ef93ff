/*
 * refusal.h — why a kindergarten refused a child, and what the parent is
 * told about it.
 *
 * The reason is one of a closed list (refusal.reason_code, sql/160) plus
 * the staff member's explanation (refusal.reason), which is required
 * whatever the reason: the refusal is a signed, motivated act the district
 * reviewer judges, and the parent needs to know, say, which document was
 * missing. Its words live under L.RefusalReason.<name> in both languages.
 *
 * The refusal itself (the signed transaction, its history, its SMS) is
 * dec_refuse (decide.h); this module names the reasons and reads the
 * latest refusal of an application for the pages that show it. Prefix
 * rfs_.
 */
#ifndef KG_REFUSAL_H
#define KG_REFUSAL_H

#include "base/util.h"

enum rfs_reason {
	RFS_INCOMPLETE_DOCUMENTS, /* «Неполный пакет документов» */
	RFS_EXPIRED_DOCUMENTS,    /* «Документы с истекшим сроком действия» */
	RFS_UNVACCINATED_SHARE,   /* «Превышена доля непривитых детей» */
	RFS_OTHER,                /* «Другое» */
	RFS__MAX
};

/* The stored names ("incomplete_documents", ...), NULL-terminated so that
 * a form's V_ENUM field takes them as its choices. */
extern const char *const rfs_reason_names[RFS__MAX + 1];

/* The reason named name, or RFS__MAX when there is none such. */
enum rfs_reason rfs_reason_of(const char *name);
/* Its label in lang ("ru", "kk"): L.RefusalReason.<name>; "" for RFS__MAX. */
const char *rfs_reason_label(const char *lang, enum rfs_reason r);

/* An application's latest refusal, as its pages show it. Strings in the
 * arena passed. */
struct rfs_info {
	long long id, refused_at, reviewed_at;  /* reviewed_at 0 while pending */
	enum rfs_reason reason;
	const char *text;                       /* the staff member's explanation */
	const char *status;                     /* "pending", "confirmed", "rejected" */
	const char *referral_number;
	const char *ddo_name_ru, *ddo_name_kk;
};

/* The newest refusal of application_id (no authorisation: the caller has
 * already shown that the reader may see the application). 1 found, 0 the
 * application was never refused, -1 a database error. */
int rfs_latest(struct arena *a, long long application_id, struct rfs_info *out);

#endif
