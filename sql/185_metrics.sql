-- 185_metrics.sql — /metrics counts the referrals annulled since local
-- midnight on every scrape: an index, so that it reads today's rows only.
CREATE INDEX referral_annulled ON referral(closed_at) WHERE status = 'annulled';
