## Bank statements (1CClientBankExchange)
bank-error-too-large = The statement file is too large ({ $size_mb } MB; the limit is { $limit_mb } MB). Export a shorter period. Nothing was changed.
bank-error-no-header = This is not a 1C bank statement: line { $line } should read "1CClientBankExchange". Export the statement from the bank "for 1C" (kl_to_1c.txt). Nothing was changed.
bank-error-encoding = Line { $line } is not in { $encoding }, the encoding the file declares. Export the statement again. Nothing was changed.
bank-error-syntax = Line { $line } is neither "Field=Value" nor a statement section. Nothing was changed.
bank-error-unclosed-document = The "{ $kind }" document from line { $line } has no "КонецДокумента" (something else starts at line { $found }). The file is damaged or cut short. Nothing was changed.
bank-error-unclosed-account = The account section from line { $line } has no "КонецРасчСчет" (line { $found }). Nothing was changed.
bank-error-unexpected-end = Line { $line } says "{ $marker }", but no such section was open. Nothing was changed.
bank-error-no-end-of-file = The file ends at line { $line } without "КонецФайла": it seems not to have downloaded completely. Nothing was changed.
bank-error-missing-field = The document from line { $line } has no { $field }. Nothing was changed.
bank-error-amount = Line { $line }: "{ $value }" in { $field } is not an amount (write e.g. 12345.67). Nothing was changed.
bank-error-date = Line { $line }: "{ $value }" in { $field } is not a date (DD.MM.YYYY). Nothing was changed.
bank-error-duplicate-field = Line { $line }: { $field } is given a second time in the document, with another value. Nothing was changed.
bank-error-too-many-documents = The statement has more than { $limit } documents (line { $line }). Export a shorter period. Nothing was changed.
bank-note-version = Statement format version { $version } is not one I know (1.02, 1.03); I read it as usual.
bank-note-encoding-undeclared = The file does not say its encoding; I read it as { $encoding }.
bank-note-encoding-mismatch = The file declares { $declared } but is written in { $encoding }; I read it as { $encoding }.
bank-note-encoding-unknown = Unknown encoding "{ $value }"; I read the file as { $encoding }.
bank-note-after-end = The text after "КонецФайла" (line { $line }) was skipped.
