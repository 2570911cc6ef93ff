-- The language a person chose on the site ('kk' or 'ru'; '' until they
-- choose or log in): the pages after their login, and the SMS and
-- documents written for them, use it (README, "Languages").
ALTER TABLE account ADD COLUMN lang TEXT NOT NULL DEFAULT '' CHECK (lang IN ('', 'kk', 'ru'));
