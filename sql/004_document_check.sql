-- 004_document_check.sql — generated documents carry a QR code that leads
-- to the public check page /check/<code>: the code is random (it reveals
-- nothing and cannot be guessed from a referral or application number)
-- and unique; uploaded files have none.
ALTER TABLE document ADD COLUMN check_code TEXT;
CREATE UNIQUE INDEX document_check_code ON document(check_code) WHERE check_code IS NOT NULL;
