-- 160_refusal_reason.sql — a DDO's refusal names its reason from a closed
-- list (cgi-bin/lib/domain/refusal.h, rfs_reason_names: incomplete or
-- expired documents, the share of unvaccinated children, other), so the
-- parent and the reviewer read the same words in either language.
-- refusal.reason keeps the staff member's explanation, which stays
-- required whatever the reason (001's CHECK). Refusals made before the
-- list read as 'other': their explanation says why.
ALTER TABLE refusal ADD COLUMN reason_code TEXT NOT NULL DEFAULT 'other'
  CHECK (reason_code IN ('incomplete_documents', 'expired_documents', 'unvaccinated_share', 'other'));
