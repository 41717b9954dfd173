# HTTP API для загрузки данных (bot/http) и его токены (python -m bot api-token).

api-error-unauthorized = Нет действующего токена API: передайте Authorization: Bearer <токен>, созданный командой python -m bot api-token create. Ничего не изменено.
api-error-unknown-kind = Неизвестный вид загрузки { $kind }; допустимы: { $kinds }.
api-error-too-large = Тело запроса больше { $limit } байт (HTTP_MAX_BYTES). Ничего не изменено.
api-error-media-type = Пришлите application/json, text/csv или файл XLSX (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), а не { $type }. Ничего не изменено.
api-error-json = Тело запроса — не корректный JSON: { $detail }. Ничего не изменено.
api-error-not-array = Тело запроса должно быть массивом JSON из объектов, по одному на строку. Ничего не изменено.
api-error-not-object = Строка { $row } — не объект JSON. Ничего не изменено.
api-error-value = Строка { $row }, ключ { $name }: значение должно быть строкой, числом или null. Ничего не изменено.
api-error-snapshot-flag = snapshot должен быть true или false, а не { $value }. Ничего не изменено.
api-error-empty-snapshot = Пустой полный снимок пометил бы удалённым всё: пришлите строки или snapshot=false. Ничего не изменено.
api-error-idempotency-key = Idempotency-Key — от 1 до 128 печатных символов ASCII без пробелов. Ничего не изменено.
api-error-idempotency-mismatch = Этот Idempotency-Key уже использован за последние 24 часа с другим телом запроса. Для новых данных нужен новый ключ. Ничего не изменено.
api-error-not-found = Такого адреса нет. См. /api/v1/openapi.json.
api-error-method = Этот метод здесь не поддерживается. См. /api/v1/openapi.json.
api-error-internal = Ошибка на нашей стороне, она записана в журнал. Повторите запрос позже.

api-token-error-name-empty = Дайте токену имя, например --name "Обмен с 1С".
api-token-error-name-long = Имя токена — не длиннее { $limit } символов.
api-token-error-name-taken = Действующий токен с именем { $name } уже есть: выберите другое имя или сначала отзовите тот.
api-token-error-revoked = Токен { $id } ({ $name }) уже отозван.
api-token-error-unknown = Нет действующего токена с номером или именем { $ref }.
api-token-error-ambiguous = Несколько действующих токенов называются { $name }: отзовите нужный по номеру (python -m bot api-token list).
