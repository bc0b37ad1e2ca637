-- Failed password checks (sign-in and the account page's password change),
-- kept 30 days so the account's owner and administrators see them. A
-- failure is "cleared" when the same client later gives the right password:
-- it no longer slows that client down, but it stays on the record.
ALTER TABLE login_failures ADD COLUMN kind TEXT NOT NULL DEFAULT 'login';
ALTER TABLE login_failures ADD COLUMN cleared_at BIGINT;
CREATE INDEX login_failures_client ON login_failures(username, ip, at);

-- Tokens expire: those made before expiry existed get 90 days from now.
UPDATE api_tokens SET expires_at = CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT) + 90 * 86400000::BIGINT
WHERE expires_at IS NULL;
