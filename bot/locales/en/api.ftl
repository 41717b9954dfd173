# The HTTP ingest API (bot/http) and its tokens (python -m bot api-token).

api-error-unauthorized = No valid API token: send Authorization: Bearer <token>, a token made with python -m bot api-token create. Nothing was changed.
api-error-unknown-kind = Unknown import kind { $kind }; one of: { $kinds }.
api-error-too-large = The request body is over { $limit } bytes (HTTP_MAX_BYTES). Nothing was changed.
api-error-media-type = Send application/json, text/csv or an XLSX file (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), not { $type }. Nothing was changed.
api-error-json = The body is not valid JSON: { $detail }. Nothing was changed.
api-error-not-array = The body must be a JSON array of objects, one per row. Nothing was changed.
api-error-not-object = Row { $row } is not a JSON object. Nothing was changed.
api-error-value = Row { $row }, key { $name }: a value must be a string, a number or null. Nothing was changed.
api-error-snapshot-flag = snapshot must be true or false, not { $value }. Nothing was changed.
api-error-empty-snapshot = An empty snapshot would mark everything removed: send the rows, or snapshot=false. Nothing was changed.
api-error-idempotency-key = The Idempotency-Key must be 1 to 128 printable ASCII characters without spaces. Nothing was changed.
api-error-idempotency-mismatch = This Idempotency-Key was used in the last 24 hours with another body. Use a new key for new data. Nothing was changed.
api-error-not-found = No such address. See /api/v1/openapi.json.
api-error-method = This method is not allowed here. See /api/v1/openapi.json.
api-error-internal = Something went wrong on our side; it is logged. Send the request again later.

api-token-error-name-empty = Give the token a name, e.g. --name "1C exchange".
api-token-error-name-long = A token's name is at most { $limit } characters.
api-token-error-name-taken = An active token is named { $name } already: choose another name, or revoke that one first.
api-token-error-revoked = Token { $id } ({ $name }) is revoked already.
api-token-error-unknown = No active token has the id or name { $ref }.
api-token-error-ambiguous = Several active tokens are named { $name }: revoke one by its id (python -m bot api-token list).
