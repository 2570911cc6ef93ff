-- 050_cabinet.sql — lookups of the staff cabinet, the departures and the
-- review of refusals (cgi-bin/lib/decide.c, cabinet, departure, review).
--
-- The search by a child's IIN goes child -> application -> referral over
-- every status (an annulled or closed referral is found too, so staff are
-- told what happened to it): application_child (020) and
-- referral_application (030) serve it; the partial indexes of 001 cover
-- only the live rows.
-- A referral's refusals (pending and decided), newest first.
CREATE INDEX refusal_referral ON refusal(referral_id, refused_at);
-- The reviewer's list of decided refusals, newest decision first.
CREATE INDEX refusal_decided_district ON refusal(district_id, reviewed_at) WHERE status <> 'pending';
-- The DDO's referrals awaiting a decision, in the order documents came.
CREATE INDEX referral_ddo_waiting ON referral(ddo_id, docs_submitted_at)
  WHERE status IN ('docs_submitted', 'must_enroll', 'refused');
