-- 180_eds.sql — the highest CRL number loaded for each CRL issuer, full
-- and delta CRLs apart (their numbers are one sequence per scope, but a
-- file holds the full CRL next to a later delta). web/esig.c refuses a CRL
-- file whose number for an issuer is lower than the one recorded here, and
-- raises the record when it is higher: a CRL number never goes back, not
-- even across a restart, so an older CRL cannot un-revoke a certificate.
-- Only CRLs signed by a configured trust anchor are recorded.
-- number: the cRLNumber as 40 upper-case hex digits, so that text order
-- is numeric order (a cRLNumber may have up to 20 octets, RFC 5280 5.2.3).
CREATE TABLE eds_crl (
  issuer    TEXT NOT NULL,
  delta     INTEGER NOT NULL DEFAULT 0 CHECK (delta IN (0, 1)),
  number    TEXT NOT NULL CHECK (length(number) = 40 AND number NOT GLOB '*[^0-9A-F]*'),
  loaded_at INTEGER NOT NULL,
  PRIMARY KEY (issuer, delta)
);
