/*
 * journal.h — who may see which application (the journal of applications,
 * its tabs and its document downloads). The queue position the journal
 * shows is queue_position (queue.h), the same the search shows. The
 * rule, written once here and enforced in every query:
 *
 *   citizen   the applications they filed (application.applicant_id)
 *   staff     the applications with a referral (of any status) to one of
 *             their DDOs (ddo_staff)
 *   reviewer  the applications of their districts (reviewer_district)
 *   support   every application
 *
 * An account with several roles sees the union. A guessed id outside that
 * set is simply not found (the caller answers 404). Prefix jrn_.
 */
#ifndef KG_JOURNAL_H
#define KG_JOURNAL_H

/* Who reads: an account (0: nobody, who sees nothing) and its roles
 * (account.roles: ACCT_BIT of each, account.h). */
struct jrn_reader {
	long long account_id;
	unsigned roles;
};

/* The list's filters (validated by the screen): "" / 0 = no filter. */
struct jrn_filter {
	const char *status;     /* an application status */
	int group_year;
	const char *number;     /* an application number or a referral number */
	const char *child_iin;  /* staff, reviewers and support only */
};

/* Sortable columns of the list (the screen's lst_read reads them). */
enum jrn_sort { JRN_SORT_NUMBER, JRN_SORT_DATE, JRN_SORT_CHILD, JRN_SORT_YEAR, JRN_SORT_STATUS, JRN_SORT__MAX };
extern const char *const jrn_sort_names[JRN_SORT__MAX + 1];

/* How many applications the reader sees with these filters. */
long long jrn_count(const struct jrn_reader *w, const struct jrn_filter *f);

/* One page of them, in the list's order: sorted by column sort
 * (descending when desc), limit rows from offset. Their ids into ids (at
 * most max). Returns the count. */
struct jrn_order {
	enum jrn_sort sort;
	int desc;
	int limit;
	long long offset;
};
int jrn_page(const struct jrn_reader *w, const struct jrn_filter *f, const struct jrn_order *o, long long *ids, int max);

/* One application with what the journal shows. Texts are copies. */
struct jrn_app {
	long long id, created_at, queued_at, updated_at;
	char number[40], status[20], language[3], benefit[20], benefit_ground[64], archive_reason[24];
	int group_year, district_id;
	char phone[20], email[128];
	char child_iin[13], child_surname[128], child_name[128], child_patronymic[128], child_birth[11], child_sex[2];
	long long applicant_id;
	char parent_iin[13], parent_surname[128], parent_name[128], parent_patronymic[128];
	char ddo_pref[3][304];          /* the desired DDOs (name in the language asked), "" when none */
	/* the latest referral (id 0: none) */
	long long ref_id, ref_issued_at, ref_deadline_at, ref_submitted_at;
	char ref_number[11], ref_status[20], ref_ddo[304], ref_ddo_address[256], ref_ddo_phone[40];
	int mine;                       /* the reader filed it */
};

/* Loads application id if the reader may see it, with the DDOs' names in
 * lang ("kk" or Russian): 0, or -1 (not found or not visible: answer
 * 404; or a database error). */
int jrn_app(const struct jrn_reader *w, const char *lang, long long id, struct jrn_app *out);

/* A document the reader may download. */
struct jrn_doc {
	long long id, application_id;
	char kind[16], origin[12], sha[65], mime[20], filename[256], number[40];
};

/* Loads document id if its application is visible to the reader: 0, or
 * -1 (answer 404). */
int jrn_doc(const struct jrn_reader *w, long long id, struct jrn_doc *out);

#endif
