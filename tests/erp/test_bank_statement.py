"""Bank statements in 1C's exchange format (1CClientBankExchange): reading both encodings
and versions, the money received, the document numbers a purpose names, a payment's key.

The two statements below are shaped like the public samples of the format: the
general part, balance sections and document fields of 1C:Бухгалтерия's and a bank's own
exports (Xini1/client-bank-exchange, src/test/resources/1CClientBankExchange.txt;
kilylabs/client-bank-exchange-php, tests/resources/one_day.txt) and the budget payment
fields of an OEBS export (Xini1/client-bank-exchange, sample5.txt); the companies, INNs
and accounts are made up. Expected line numbers are looked up in the text, not counted
by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.services.bank_statement import (
    MAX_BYTES,
    BankStatement,
    BankStatementError,
    BankStatementNote,
    NamedDocument,
    NamedKind,
    bank_key,
    incoming_payments,
    named_documents,
    named_numbers,
    parse_statement,
    payment_key,
)
from bot.services.erp_files import ErpFileError

ACCOUNT_A = "40702810400000012345"
ACCOUNT_B = "40702810938000067890"
ACCOUNT_C = "40702810500000001111"
OUR_INN = "7704123450"


# A statement of two accounts as СберБизнес writes it for 1C:Бухгалтерия: Windows-1251,
# CRLF, version 1.03. Documents: two customer payments into A, one into B; a payment to a
# supplier and the bank's commission out of A; a transfer from A to B; a transfer into A
# from our account at another bank (payer ИНН = ours).
WINDOWS_TEXT = """\
1CClientBankExchange
ВерсияФормата=1.03
Кодировка=Windows
Отправитель=СберБизнес
Получатель=Бухгалтерия предприятия, редакция 3.0
ДатаСоздания=05.08.2026
ВремяСоздания=09:12:44
ДатаНачала=03.08.2026
ДатаКонца=04.08.2026
РасчСчет=40702810400000012345
РасчСчет=40702810938000067890
Документ=Платежное поручение
Документ=Банковский ордер
СекцияРасчСчет
ДатаНачала=03.08.2026
ДатаКонца=04.08.2026
РасчСчет=40702810400000012345
НачальныйОстаток=1250000.00
ВсегоПоступило=252400.00
ВсегоСписано=239040.00
КонечныйОстаток=1263360.00
КонецРасчСчет
СекцияРасчСчет
ДатаНачала=03.08.2026
ДатаКонца=04.08.2026
РасчСчет=40702810938000067890
НачальныйОстаток=0.00
ВсегоПоступило=209999.99
ВсегоСписано=0.00
КонечныйОстаток=209999.99
КонецРасчСчет
СекцияДокумент=Платежное поручение
Номер=5812
Дата=31.07.2026
Сумма=146400.00
ПлательщикСчет=40702810100000005555
Плательщик=ИНН 7718012340 ООО "Ромашка"
ПлательщикИНН=7718012340
Плательщик1=ООО "Ромашка"
ПлательщикРасчСчет=40702810100000005555
ПлательщикБанк1=АО "АЛЬФА-БАНК"
ПлательщикБанк2=г. Москва
ПлательщикБИК=044525593
ПлательщикКорсчет=30101810200000000593
ПолучательСчет=40702810400000012345
ДатаПоступило=03.08.2026
Получатель=ИНН 7704123450 ООО "ТД Вектор"
ПолучательИНН=7704123450
Получатель1=ООО "ТД Вектор"
ПолучательРасчСчет=40702810400000012345
ПолучательБанк1=ПАО СБЕРБАНК
ПолучательБанк2=г. Москва
ПолучательБИК=044525225
ПолучательКорсчет=30101810400000000225
ВидПлатежа=
ВидОплаты=01
СтатусСоставителя=
ПлательщикКПП=771801001
ПолучательКПП=770401001
ПоказательКБК=
ОКАТО=
ПоказательОснования=
ПоказательПериода=
ПоказательНомера=
ПоказательДаты=
ПоказательТипа=
Очередность=5
Код=0
НазначениеПлатежа=Оплата по счету № 123 от 01.08.2026 за товар, в т.ч. НДС 22% - 26400.00
НазначениеПлатежа1=Оплата по счету № 123 от 01.08.2026 за товар, в т.ч. НДС 22% - 26400.00
КонецДокумента
СекцияДокумент=Платежное поручение
Номер=347
Дата=03.08.2026
Сумма=56000.00
ПлательщикСчет=40802810500000007777
Плательщик=ИНН 500100732259 ИП Иванов Пётр Сергеевич
ПлательщикИНН=500100732259
ПлательщикРасчСчет=40802810500000007777
ПлательщикБанк1=ПАО СБЕРБАНК
ПлательщикБанк2=г. Москва
ПлательщикБИК=044525225
ПлательщикКорсчет=30101810400000000225
ПолучательСчет=40702810400000012345
ДатаПоступило=03.08.2026
Получатель=ИНН 7704123450 ООО "ТД Вектор"
ПолучательИНН=7704123450
Получатель1=ООО "ТД Вектор"
ПолучательРасчСчет=40702810400000012345
ПолучательБанк1=ПАО СБЕРБАНК
ПолучательБанк2=г. Москва
ПолучательБИК=044525225
ПолучательКорсчет=30101810400000000225
ВидПлатежа=
ВидОплаты=01
СтатусСоставителя=
ПлательщикКПП=0
ПолучательКПП=770401001
ПоказательКБК=
ОКАТО=
ПоказательОснования=
ПоказательПериода=
ПоказательНомера=
ПоказательДаты=
ПоказательТипа=
Очередность=5
Код=0
НазначениеПлатежа=
НазначениеПлатежа1=Оплата по УПД №0001 от 01.08.2026,
НазначениеПлатежа2=УПД № 0002 от 02.08.2026. НДС не облагается
КонецДокумента
СекцияДокумент=Платежное поручение
Номер=1044
Дата=03.08.2026
Сумма=36600.00
ПлательщикСчет=40702810400000012345
ДатаСписано=03.08.2026
Плательщик=ИНН 7704123450 ООО "ТД Вектор"
ПлательщикИНН=7704123450
Плательщик1=ООО "ТД Вектор"
ПлательщикРасчСчет=40702810400000012345
ПлательщикБанк1=ПАО СБЕРБАНК
ПлательщикБанк2=г. Москва
ПлательщикБИК=044525225
ПлательщикКорсчет=30101810400000000225
ПолучательСчет=40702810600000003333
Получатель=ИНН 7733015995 ООО "Упаковка-Сервис"
ПолучательИНН=7733015995
Получатель1=ООО "Упаковка-Сервис"
ПолучательРасчСчет=40702810600000003333
ПолучательБанк1=БАНК ВТБ (ПАО)
ПолучательБанк2=г. Москва
ПолучательБИК=044525187
ПолучательКорсчет=30101810700000000187
ВидПлатежа=
ВидОплаты=01
СтатусСоставителя=
ПлательщикКПП=770401001
ПолучательКПП=773301001
ПоказательКБК=
ОКАТО=
ПоказательОснования=
ПоказательПериода=
ПоказательНомера=
ПоказательДаты=
ПоказательТипа=
Очередность=5
Код=0
НазначениеПлатежа=Оплата по счету 9981 от 29.07.2026 за упаковку, в т.ч. НДС 22% - 6600.00
КонецДокумента
СекцияДокумент=Банковский ордер
Номер=697162
Дата=03.08.2026
Сумма=2440.00
ПлательщикСчет=40702810400000012345
ДатаСписано=03.08.2026
Плательщик=ИНН 7704123450 ООО "ТД Вектор"
ПлательщикИНН=7704123450
Плательщик1=ООО "ТД Вектор"
ПлательщикРасчСчет=40702810400000012345
ПлательщикБанк1=ПАО СБЕРБАНК
ПлательщикБанк2=г. Москва
ПлательщикБИК=044525225
ПлательщикКорсчет=30101810400000000225
ПолучательСчет=70601810438002740101
Получатель=ИНН 7707083893 ПАО Сбербанк
ПолучательИНН=7707083893
Получатель1=ПАО Сбербанк
ПолучательРасчСчет=70601810438002740101
ПолучательБанк1=ПАО СБЕРБАНК
ПолучательБанк2=г. Москва
ПолучательБИК=044525225
ПолучательКорсчет=30101810400000000225
ВидПлатежа=
ВидОплаты=17
СтатусСоставителя=
ПлательщикКПП=770401001
ПолучательКПП=773601001
ПоказательКБК=
ОКАТО=
ПоказательОснования=
ПоказательПериода=
ПоказательНомера=
ПоказательДаты=
ПоказательТипа=
Очередность=5
Код=0
НазначениеПлатежа=Комиссия за ведение счета за июль 2026 г. НДС не облагается
КонецДокумента
СекцияДокумент=Платежное поручение
Номер=1045
Дата=04.08.2026
Сумма=200000.00
ПлательщикСчет=40702810400000012345
ДатаСписано=04.08.2026
Плательщик=ИНН 7704123450 ООО "ТД Вектор"
ПлательщикИНН=7704123450
Плательщик1=ООО "ТД Вектор"
ПлательщикРасчСчет=40702810400000012345
ПлательщикБанк1=ПАО СБЕРБАНК
ПлательщикБанк2=г. Москва
ПлательщикБИК=044525225
ПлательщикКорсчет=30101810400000000225
ПолучательСчет=40702810938000067890
ДатаПоступило=04.08.2026
Получатель=ИНН 7704123450 ООО "ТД Вектор"
ПолучательИНН=7704123450
Получатель1=ООО "ТД Вектор"
ПолучательРасчСчет=40702810938000067890
ПолучательБанк1=АО "АЛЬФА-БАНК"
ПолучательБанк2=г. Москва
ПолучательБИК=044525593
ПолучательКорсчет=30101810200000000593
ВидПлатежа=
ВидОплаты=01
СтатусСоставителя=
ПлательщикКПП=770401001
ПолучательКПП=770401001
ПоказательКБК=
ОКАТО=
ПоказательОснования=
ПоказательПериода=
ПоказательНомера=
ПоказательДаты=
ПоказательТипа=
Очередность=5
Код=0
НазначениеПлатежа=Перевод собственных средств. НДС не облагается
КонецДокумента
СекцияДокумент=Платежное поручение
Номер=98
Дата=04.08.2026
Сумма=50000.00
ПлательщикСчет=40702810100000099999
Плательщик=ИНН 7704123450 ООО "ТД Вектор"
ПлательщикИНН=7704123450
Плательщик1=ООО "ТД Вектор"
ПлательщикРасчСчет=40702810100000099999
ПлательщикБанк1=БАНК ВТБ (ПАО)
ПлательщикБанк2=г. Москва
ПлательщикБИК=044525187
ПлательщикКорсчет=30101810700000000187
ПолучательСчет=40702810400000012345
ДатаПоступило=04.08.2026
Получатель=ИНН 7704123450 ООО "ТД Вектор"
ПолучательИНН=7704123450
Получатель1=ООО "ТД Вектор"
ПолучательРасчСчет=40702810400000012345
ПолучательБанк1=ПАО СБЕРБАНК
ПолучательБанк2=г. Москва
ПолучательБИК=044525225
ПолучательКорсчет=30101810400000000225
ВидПлатежа=
ВидОплаты=01
СтатусСоставителя=
ПлательщикКПП=770401001
ПолучательКПП=770401001
ПоказательКБК=
ОКАТО=
ПоказательОснования=
ПоказательПериода=
ПоказательНомера=
ПоказательДаты=
ПоказательТипа=
Очередность=5
Код=0
НазначениеПлатежа=Перевод собственных средств со счета в Банк ВТБ (ПАО). НДС не облагается
КонецДокумента
СекцияДокумент=Платежное поручение
Номер=000731
Дата=04.08.2026
Сумма=9999.99
ПлательщикСчет=40702810900000002222
Плательщик=ИНН 7801122331 АО "Альфа-Трейд"
ПлательщикИНН=7801122331
Плательщик1=АО "Альфа-Трейд"
ПлательщикРасчСчет=40702810900000002222
ПлательщикБанк1=БАНК ВТБ (ПАО)
ПлательщикБанк2=г. Москва
ПлательщикБИК=044525187
ПлательщикКорсчет=30101810700000000187
ПолучательСчет=40702810938000067890
ДатаПоступило=04.08.2026
Получатель=ИНН 7704123450 ООО "ТД Вектор"
ПолучательИНН=7704123450
Получатель1=ООО "ТД Вектор"
ПолучательРасчСчет=40702810938000067890
ПолучательБанк1=АО "АЛЬФА-БАНК"
ПолучательБанк2=г. Москва
ПолучательБИК=044525593
ПолучательКорсчет=30101810200000000593
ВидПлатежа=
ВидОплаты=01
СтатусСоставителя=
ПлательщикКПП=780101001
ПолучательКПП=770401001
ПоказательКБК=
ОКАТО=
ПоказательОснования=
ПоказательПериода=
ПоказательНомера=
ПоказательДаты=
ПоказательТипа=
Очередность=5
Код=0
НазначениеПлатежа=Оплата по реализации ТД00-000123 от 30.07.2026 по договору №15/2026 от 10.01.2026
КонецДокумента
КонецФайла
""".replace("\n", "\r\n")

# One account as a bank's own client writes it: DOS (cp866), LF, version 1.02. Two
# customer payments (one amount with a decimal comma, one purpose with "=" in it), a tax
# payment out, the bank's interest in.
DOS_TEXT = """\
1CClientBankExchange
ВерсияФормата=1.02
Кодировка=DOS
Отправитель=Банк Клиент Онлайн
Получатель=1С:Предприятие
ДатаСоздания=05.08.2026
ВремяСоздания=10:03:13
ДатаНачала=04.08.2026
ДатаКонца=04.08.2026
РасчСчет=40702810500000001111
СекцияРасчСчет
ДатаНачала=04.08.2026
ДатаКонца=04.08.2026
РасчСчет=40702810500000001111
НачальныйОстаток=45329.91
ВсегоПоступило=50032.17
ВсегоСписано=18300.00
КонечныйОстаток=77062.08
КонецРасчСчет
СекцияДокумент=Платежное поручение
Номер=15
Дата=04.08.2026
Сумма=48800,00
ПлательщикСчет=40702810700000004444
Плательщик=ИНН 5029008763 ООО "Берёзка"
ПлательщикИНН=5029008763
Плательщик1=ООО "Берёзка"
ПлательщикРасчСчет=40702810700000004444
ПлательщикБанк1=ПАО СБЕРБАНК
ПлательщикБанк2=г. Москва
ПлательщикБИК=044525225
ПлательщикКорсчет=30101810400000000225
ПолучательСчет=40702810500000001111
ДатаПоступило=04.08.2026
Получатель=ИНН 7704123450 ООО "ТД Вектор"
ПолучательИНН=7704123450
Получатель1=ООО "ТД Вектор"
ПолучательРасчСчет=40702810500000001111
ПолучательБанк1=БАНК ВТБ (ПАО)
ПолучательБанк2=г. Москва
ПолучательБИК=044525187
ПолучательКорсчет=30101810700000000187
ВидПлатежа=
ВидОплаты=01
СтатусСоставителя=
ПлательщикКПП=502901001
ПолучательКПП=770401001
ПоказательКБК=
ОКАТО=
ПоказательОснования=
ПоказательПериода=
ПоказательНомера=
ПоказательДаты=
ПоказательТипа=
Очередность=5
Код=0
НазначениеПлатежа=Опл. по сч. 45/2 от 3.08.26 (позиция=стрейч-плёнка), в т.ч. НДС 22% 8800.00
КонецДокумента
СекцияДокумент=Платежное поручение
Номер=16
Дата=04.08.2026
Сумма=1220.00
ПлательщикСчет=40702810700000004444
Плательщик=ИНН 5029008763 ООО "Берёзка"
ПлательщикИНН=5029008763
Плательщик1=ООО "Берёзка"
ПлательщикРасчСчет=40702810700000004444
ПлательщикБанк1=ПАО СБЕРБАНК
ПлательщикБанк2=г. Москва
ПлательщикБИК=044525225
ПлательщикКорсчет=30101810400000000225
ПолучательСчет=40702810500000001111
ДатаПоступило=04.08.2026
Получатель=ИНН 7704123450 ООО "ТД Вектор"
ПолучательИНН=7704123450
Получатель1=ООО "ТД Вектор"
ПолучательРасчСчет=40702810500000001111
ПолучательБанк1=БАНК ВТБ (ПАО)
ПолучательБанк2=г. Москва
ПолучательБИК=044525187
ПолучательКорсчет=30101810700000000187
ВидПлатежа=
ВидОплаты=01
СтатусСоставителя=
ПлательщикКПП=502901001
ПолучательКПП=770401001
ПоказательКБК=
ОКАТО=
ПоказательОснования=
ПоказательПериода=
ПоказательНомера=
ПоказательДаты=
ПоказательТипа=
Очередность=5
Код=0
НазначениеПлатежа=Оплата по сч.№ 183 от 31.07.2026 г, № 211 от 01.08.2026 г, в т.ч. НДС 22% 220.00
КонецДокумента
СекцияДокумент=Платежное поручение
Номер=233
Дата=04.08.2026
Сумма=18300.00
ПлательщикСчет=40702810500000001111
ДатаСписано=04.08.2026
Плательщик=ИНН 7704123450 ООО "ТД Вектор"
ПлательщикИНН=7704123450
Плательщик1=ООО "ТД Вектор"
ПлательщикРасчСчет=40702810500000001111
ПлательщикБанк1=БАНК ВТБ (ПАО)
ПлательщикБанк2=г. Москва
ПлательщикБИК=044525187
ПлательщикКорсчет=30101810700000000187
ПолучательСчет=03100643000000017300
Получатель=ИНН 7743987654 УФК по г. Москве (Межрайонная ИФНС России № 99 по г. Москве)
ПолучательИНН=7743987654
Получатель1=УФК по г. Москве (Межрайонная ИФНС России № 99 по г. Москве)
ПолучательРасчСчет=03100643000000017300
ПолучательБанк1=ГУ Банка России по ЦФО//УФК по г. Москве г. Москва
ПолучательБанк2=
ПолучательБИК=004525988
ПолучательКорсчет=40102810545370000003
ВидПлатежа=
ВидОплаты=01
СтатусСоставителя=
ПлательщикКПП=770401001
ПолучательКПП=774301001
ПоказательКБК=
ОКАТО=
ПоказательОснования=
ПоказательПериода=
ПоказательНомера=
ПоказательДаты=
ПоказательТипа=
Очередность=3
Код=0
НазначениеПлатежа=Единый налоговый платеж. НДС не облагается
КонецДокумента
СекцияДокумент=Банковский ордер
Номер=88120
Дата=04.08.2026
Сумма=12.17
ПлательщикСчет=47426810100000000001
Плательщик=ИНН 7702070139 Банк ВТБ (ПАО)
ПлательщикИНН=7702070139
Плательщик1=Банк ВТБ (ПАО)
ПлательщикРасчСчет=47426810100000000001
ПлательщикБанк1=БАНК ВТБ (ПАО)
ПлательщикБанк2=г. Москва
ПлательщикБИК=044525187
ПлательщикКорсчет=30101810700000000187
ПолучательСчет=40702810500000001111
ДатаПоступило=04.08.2026
Получатель=ИНН 7704123450 ООО "ТД Вектор"
ПолучательИНН=7704123450
Получатель1=ООО "ТД Вектор"
ПолучательРасчСчет=40702810500000001111
ПолучательБанк1=БАНК ВТБ (ПАО)
ПолучательБанк2=г. Москва
ПолучательБИК=044525187
ПолучательКорсчет=30101810700000000187
ВидПлатежа=
ВидОплаты=17
СтатусСоставителя=
ПлательщикКПП=770201001
ПолучательКПП=770401001
ПоказательКБК=
ОКАТО=
ПоказательОснования=
ПоказательПериода=
ПоказательНомера=
ПоказательДаты=
ПоказательТипа=
Очередность=5
Код=0
НазначениеПлатежа=Выплата процентов на остаток по счету за июль 2026 г. НДС не облагается
КонецДокумента
КонецФайла
"""


WINDOWS = WINDOWS_TEXT.encode("cp1251")
DOS = DOS_TEXT.encode("cp866")


def windows_text() -> str:
    return WINDOWS_TEXT


def dos_text() -> str:
    return DOS_TEXT


def line_of(text: str, line: str, occurrence: int = 1) -> int:
    """The 1-based number of the `occurrence`-th line of `text` that is `line`."""
    seen = 0
    for number, content in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if content.strip() == line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"no line {line!r} (#{occurrence})")


def block(text: str, number: str) -> str:
    """The document section whose Номер is `number`, as text."""
    start = text.index(f"Номер={number}\r\n" if "\r\n" in text else f"Номер={number}\n")
    start = text.rindex("СекцияДокумент=", 0, start)
    return text[start : text.index("КонецДокумента", start)]


def contents(statement: BankStatement) -> list[tuple[str, dict[str, str]]]:
    return [(document.kind, dict(document.fields)) for document in statement.documents]


def refused(data: bytes, **limits: int) -> BankStatementError:
    with pytest.raises(BankStatementError) as caught:
        parse_statement(data, **limits)
    return caught.value


# --- Reading the file ---------------------------------------------------------------------


def test_reads_a_windows_1_03_statement() -> None:
    text = windows_text()
    statement = parse_statement(WINDOWS)

    assert statement.version == "1.03"
    assert statement.encoding == "cp1251"
    assert statement.notes == ()
    assert statement.sender == "СберБизнес"
    assert statement.receiver == "Бухгалтерия предприятия, редакция 3.0"
    assert statement.created_on == date(2026, 8, 5)
    assert (statement.period_start, statement.period_end) == (date(2026, 8, 3), date(2026, 8, 4))
    assert statement.header["ВремяСоздания"] == "09:12:44"
    assert statement.accounts == (ACCOUNT_A, ACCOUNT_B)
    assert statement.document_kinds == ("Платежное поручение", "Банковский ордер")
    assert [balance.account for balance in statement.balances] == [ACCOUNT_A, ACCOUNT_B]
    first_balance = statement.balances[0]
    assert first_balance.line == line_of(text, "СекцияРасчСчет")
    assert first_balance.opening_balance == Decimal("1250000.00")
    assert first_balance.closing_balance == Decimal("1263360.00")
    assert (first_balance.start, first_balance.end) == (date(2026, 8, 3), date(2026, 8, 4))

    assert [document.number for document in statement.documents] == [
        "5812",
        "347",
        "1044",
        "697162",
        "1045",
        "98",
        "000731",
    ]
    assert [document.kind for document in statement.documents].count("Банковский ордер") == 1
    received = statement.documents[0]
    assert received.line == line_of(text, "СекцияДокумент=Платежное поручение")
    assert received.dated == date(2026, 7, 31)
    assert received.received_on == date(2026, 8, 3)
    assert received.written_off_on is None
    assert received.amount == Decimal("146400.00")
    assert str(received.amount) == "146400.00"
    assert (received.payer_name, received.payer_inn, received.payer_kpp) == (
        'ООО "Ромашка"',
        "7718012340",
        "771801001",
    )
    assert received.payer_account == "40702810100000005555"
    assert (received.recipient_account, received.recipient_inn) == (ACCOUNT_A, OUR_INN)
    assert received.recipient_name == 'ООО "ТД Вектор"'
    assert received.value("ПлательщикБИК") == "044525593"
    assert received.value("пЛАТЕЛЬЩИКбик") == "044525593"
    assert received.value("НетТакогоПоля") == ""
    # Every Key=Value line of the block is kept, empty values included.
    assert len(received.fields) == block(text, "5812").count("=") - 1
    assert received.fields["ПоказательКБК"] == ""
    # 1C writes the purpose whole and again as the form's line: once here.
    assert received.purpose == (
        "Оплата по счету № 123 от 01.08.2026 за товар, в т.ч. НДС 22% - 26400.00"
    )
    outgoing = statement.documents[2]
    assert outgoing.written_off_on == date(2026, 8, 3)
    assert outgoing.received_on is None
    assert outgoing.payer_account == ACCOUNT_A


def test_purpose_lines_are_joined() -> None:
    statement = parse_statement(WINDOWS)
    by_ip = statement.documents[1]
    assert by_ip.fields["НазначениеПлатежа"] == ""
    assert by_ip.purpose == (
        "Оплата по УПД №0001 от 01.08.2026, УПД № 0002 от 02.08.2026. НДС не облагается"
    )


def test_purpose_parts_in_both_fields_are_kept_once() -> None:
    text = windows_text()
    base = (
        "НазначениеПлатежа=Оплата по счету № 123 от 01.08.2026 за товар, в т.ч. НДС 22% - 26400.00"
    )
    line1 = base.replace("НазначениеПлатежа=", "НазначениеПлатежа1=")
    # Whole in the first field, its end in the numbered line.
    split = text.replace(base, "НазначениеПлатежа=Оплата по счету № 123 от 01.08.2026", 1)
    split = split.replace(line1, "НазначениеПлатежа1=за товар, в т.ч. НДС 22% - 26400.00", 1)
    assert parse_statement(split.encode("cp1251")).documents[0].purpose == (
        "Оплата по счету № 123 от 01.08.2026 за товар, в т.ч. НДС 22% - 26400.00"
    )
    # The numbered lines longer than, and starting with, the whole.
    longer = text.replace(base, "НазначениеПлатежа=Оплата по счету № 123", 1)
    assert parse_statement(longer.encode("cp1251")).documents[0].purpose == (
        "Оплата по счету № 123 от 01.08.2026 за товар, в т.ч. НДС 22% - 26400.00"
    )


def test_a_purpose_written_with_line_breaks_continues_on_its_next_lines() -> None:
    text = windows_text()
    broken = text.replace(
        "НазначениеПлатежа=Оплата по счету 9981 от 29.07.2026 за упаковку, "
        "в т.ч. НДС 22% - 6600.00",
        "НазначениеПлатежа=Оплата по счету 9981 от 29.07.2026\r\nза упаковку,\r\n"
        "в т.ч. НДС 22% - 6600.00 (сумма прописью: тридцать шесть тысяч шестьсот рублей)",
    )
    outgoing = parse_statement(broken.encode("cp1251")).documents[2]
    assert outgoing.purpose == (
        "Оплата по счету 9981 от 29.07.2026 за упаковку, в т.ч. НДС 22% - 6600.00 "
        "(сумма прописью: тридцать шесть тысяч шестьсот рублей)"
    )


def test_balances_agree_with_the_documents() -> None:
    for data in (WINDOWS, DOS):
        statement = parse_statement(data)
        for balance in statement.balances:
            assert balance.opening_balance is not None
            assert balance.total_received is not None
            assert balance.total_written_off is not None
            assert (
                balance.opening_balance + balance.total_received - balance.total_written_off
                == balance.closing_balance
            )
            into = [
                d.amount for d in statement.documents if d.recipient_account == balance.account
            ]
            out = [d.amount for d in statement.documents if d.payer_account == balance.account]
            assert sum(into, Decimal(0)) == balance.total_received
            assert sum(out, Decimal(0)) == balance.total_written_off


def test_reads_a_dos_1_02_statement() -> None:
    data = DOS
    assert b"\r" not in data
    statement = parse_statement(data)

    assert statement.version == "1.02"
    assert statement.encoding == "cp866"
    assert statement.notes == ()
    assert statement.sender == "Банк Клиент Онлайн"
    assert statement.receiver == "1С:Предприятие"
    assert statement.accounts == (ACCOUNT_C,)
    assert statement.balances[0].opening_balance == Decimal("45329.91")
    first = statement.documents[0]
    # The format writes "48800.00"; this bank wrote a decimal comma.
    assert first.fields["Сумма"] == "48800,00"
    assert first.amount == Decimal("48800.00")
    # A value is everything after the first "=".
    assert first.purpose == (
        "Опл. по сч. 45/2 от 3.08.26 (позиция=стрейч-плёнка), в т.ч. НДС 22% 8800.00"
    )
    assert first.payer_name == 'ООО "Берёзка"'
    # cp866 "Е" is byte 0x85, which str.splitlines() would take for a line break (NEL).
    assert b"\x85" in data
    tax = statement.documents[2]
    assert tax.purpose == "Единый налоговый платеж. НДС не облагается"
    assert tax.value("Очередность") == "3"
    assert statement.documents[3].amount == Decimal("12.17")


def test_the_same_text_in_either_encoding_reads_the_same() -> None:
    text = dos_text()
    as_windows = text.replace("Кодировка=DOS", "Кодировка=Windows").encode("cp1251")
    from_dos = parse_statement(DOS)
    from_windows = parse_statement(as_windows)
    assert from_windows.encoding == "cp1251"
    assert from_windows.documents == from_dos.documents
    assert from_windows.balances == from_dos.balances


@pytest.mark.parametrize("ending", ["\r\n", "\n", "\r"])
def test_any_line_ending_reads_the_same(ending: str) -> None:
    lines = windows_text().split("\r\n")
    data = ending.join(lines).encode("cp1251")
    statement = parse_statement(data)
    reference = parse_statement(WINDOWS)
    assert statement.documents == reference.documents
    # Line numbers stay those an editor shows.
    assert statement.documents[3].line == reference.documents[3].line


def test_blank_lines_and_a_dos_end_of_file_byte_are_ignored() -> None:
    text = windows_text().replace("КонецРасчСчет\r\n", "КонецРасчСчет\r\n\r\n   \r\n")
    data = b"\r\n" + text.encode("cp1251") + b"\x1a"
    statement = parse_statement(data)
    assert len(statement.documents) == 7
    assert statement.notes == ()


# --- Encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "declaration", "codec", "name"),
    [
        (WINDOWS, "Кодировка=Windows", "cp1251", "Windows-1251"),
        (DOS, "Кодировка=DOS", "cp866", "DOS (866)"),
    ],
)
def test_an_undeclared_encoding_is_guessed_with_a_note(
    data: bytes, declaration: str, codec: str, name: str
) -> None:
    text = data.decode(codec)
    undeclared = text.replace(declaration + ("\r\n" if "\r\n" in text else "\n"), "")
    statement = parse_statement(undeclared.encode(codec))
    assert statement.encoding == codec
    assert statement.notes == (
        BankStatementNote("bank-note-encoding-undeclared", {"encoding": name}),
    )
    # One line less: the same documents, each a line earlier.
    assert contents(statement) == contents(parse_statement(data))


@pytest.mark.parametrize(
    ("data", "declaration", "value", "codec"),
    [
        (WINDOWS, "Кодировка=Windows", "Windows-1251", "cp1251"),
        (DOS, "Кодировка=DOS", "cp866", "cp866"),
    ],
)
def test_spelled_out_encoding_names_are_understood(
    data: bytes, declaration: str, value: str, codec: str
) -> None:
    text = data.decode(codec).replace(declaration, f"Кодировка={value}")
    statement = parse_statement(text.encode(codec))
    assert (statement.encoding, statement.notes) == (codec, ())
    assert statement.documents == parse_statement(data).documents


def test_a_name_printed_after_inn_and_kpp_loses_them() -> None:
    text = windows_text()
    romashka = block(text, "5812")
    unnamed = romashka.replace('Плательщик1=ООО "Ромашка"\r\n', "").replace(
        'Плательщик=ИНН 7718012340 ООО "Ромашка"',
        'Плательщик=ИНН 7718012340 КПП 771801001 ООО "Ромашка"',
    )
    assert unnamed != romashka
    statement = parse_statement(text.replace(romashka, unnamed).encode("cp1251"))
    assert statement.documents[0].payer_name == 'ООО "Ромашка"'


def test_utf8_declared_as_windows_is_read_as_utf8() -> None:
    # kilylabs/client-bank-exchange-php keeps such a file (one_day_utf8.txt): programs that
    # do not transcode write UTF-8 under "Кодировка=Windows".
    statement = parse_statement(windows_text().encode("utf-8"))
    assert statement.encoding == "utf-8"
    assert statement.notes == (
        BankStatementNote(
            "bank-note-encoding-mismatch", {"declared": "Windows", "encoding": "UTF-8"}
        ),
    )
    assert statement.documents == parse_statement(WINDOWS).documents


def test_a_utf8_bom_wins_over_the_declaration() -> None:
    # A PHP generator on GitHub writes chr(239).chr(187).chr(191) and then "Кодировка=DOS".
    data = b"\xef\xbb\xbf" + dos_text().encode("utf-8")
    statement = parse_statement(data)
    assert statement.encoding == "utf-8"
    assert statement.notes[0].reason == "bank-note-encoding-mismatch"
    assert statement.notes[0].details["declared"] == "DOS"
    assert statement.documents == parse_statement(DOS).documents


def test_an_unknown_encoding_value_is_noted_and_guessed() -> None:
    data = dos_text().replace("Кодировка=DOS", "Кодировка=KOI8-R").encode("cp866")
    statement = parse_statement(data)
    assert statement.encoding == "cp866"
    assert statement.notes == (
        BankStatementNote(
            "bank-note-encoding-unknown", {"value": "KOI8-R", "encoding": "DOS (866)"}
        ),
    )


def test_bytes_the_encoding_cannot_decode_are_refused_with_their_line() -> None:
    text = windows_text()
    data = text.encode("cp1251").replace(
        "Перевод собственных средств. НДС".encode("cp1251"),
        "Перевод собственных".encode("cp1251") + b"\x98" + " средств. НДС".encode("cp1251"),
    )
    error = refused(data)
    assert error.reason == "bank-error-encoding"
    assert error.details == {
        "line": line_of(text, "НазначениеПлатежа=Перевод собственных средств. НДС не облагается"),
        "encoding": "Windows-1251",
    }


# --- Versions -----------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "shown"), [("ВерсияФормата=1.01", "1.01"), ("", "—")])
def test_other_versions_are_read_with_a_note(line: str, shown: str) -> None:
    text = windows_text().replace("ВерсияФормата=1.03\r\n", f"{line}\r\n" if line else "")
    statement = parse_statement(text.encode("cp1251"))
    assert statement.notes == (BankStatementNote("bank-note-version", {"version": shown}),)
    assert len(statement.documents) == 7


def test_text_after_the_end_of_file_is_noted() -> None:
    text = windows_text() + "\r\nПодпись банка: ЭП проверена\r\n"
    statement = parse_statement(text.encode("cp1251"))
    assert statement.notes == (
        BankStatementNote(
            "bank-note-after-end", {"line": line_of(text, "Подпись банка: ЭП проверена")}
        ),
    )


# --- Malformed files ----------------------------------------------------------------------


def test_refusals_are_erp_file_errors_with_a_translation_key() -> None:
    error = refused(b"")
    assert isinstance(error, ErpFileError)
    assert error.reason == "bank-error-no-header"
    assert str(error) == "bank-error-no-header (line=1)"


@pytest.mark.parametrize(
    "replace",
    [
        ("1CClientBankExchange\r\n", ""),
        ("1CClientBankExchange", "Выписка по счету 40702810400000012345"),
    ],
)
def test_a_file_without_the_header_is_refused(replace: tuple[str, str]) -> None:
    text = windows_text().replace(*replace, 1)
    error = refused(text.encode("cp1251"))
    assert (error.reason, error.details) == ("bank-error-no-header", {"line": 1})


def test_a_csv_or_binary_file_is_not_a_statement() -> None:
    assert refused("Дата;Сумма;Назначение\n".encode("cp1251")).reason == "bank-error-no-header"
    assert refused(b"PK\x03\x04" + bytes(100)).reason == "bank-error-no-header"


def test_a_document_without_its_end_is_refused_at_the_next_section() -> None:
    text = windows_text()
    sections = [i for i, line in enumerate(text.split("\r\n"), 1) if line.startswith("Секция")]
    # Drop the end of the third document (1044).
    cut = block(text, "1044")
    broken = text.replace(cut + "КонецДокумента\r\n", cut, 1)
    error = refused(broken.encode("cp1251"))
    start = line_of(broken, "Номер=1044") - 1
    assert error.reason == "bank-error-unclosed-document"
    assert error.details == {
        "line": start,
        "kind": "Платежное поручение",
        "found": line_of(broken, "Номер=697162") - 1,
    }
    assert start in sections


def test_the_last_document_without_its_end_is_refused_at_the_end_of_file() -> None:
    text = windows_text()
    broken = text.replace("КонецДокумента\r\nКонецФайла", "КонецФайла")
    error = refused(broken.encode("cp1251"))
    assert error.reason == "bank-error-unclosed-document"
    assert error.details["line"] == line_of(broken, "Номер=000731") - 1
    assert error.details["found"] == line_of(broken, "КонецФайла")


def test_a_truncated_file_is_refused() -> None:
    text = windows_text()
    # Cut in the middle of the last document: a download that broke off.
    in_document = text[: text.index("ПолучательБИК", text.index("Номер=000731"))]
    error = refused(in_document.encode("cp1251"))
    assert error.reason == "bank-error-unclosed-document"
    assert error.details["line"] == line_of(text, "Номер=000731") - 1
    assert error.details["found"] == in_document.count("\r\n")
    # Cut between documents: every document is whole, but some may be missing.
    between = text[: text.index("КонецФайла")]
    error = refused(between.encode("cp1251"))
    assert (error.reason, error.details) == (
        "bank-error-no-end-of-file",
        {"line": line_of(text, "КонецФайла") - 1},
    )


def test_an_end_without_its_section_is_refused() -> None:
    text = windows_text()
    # A lost "СекцияДокумент=…" line: the fields land in the general part and the end is
    # a stray one.
    start = line_of(text, "Номер=347") - 1
    lines = text.split("\r\n")
    del lines[start - 1]
    broken = "\r\n".join(lines)
    error = refused(broken.encode("cp1251"))
    assert error.reason == "bank-error-unexpected-end"
    assert error.details == {
        "line": line_of(broken, "КонецДокумента", occurrence=2),
        "marker": "КонецДокумента",
    }


def test_an_account_section_without_its_end_is_refused() -> None:
    text = windows_text()
    broken = text.replace("КонецРасчСчет\r\n", "", 1)
    error = refused(broken.encode("cp1251"))
    assert error.reason == "bank-error-unclosed-account"
    assert error.details == {
        "line": line_of(text, "СекцияРасчСчет"),
        "found": line_of(broken, "СекцияРасчСчет", occurrence=2),
    }


@pytest.mark.parametrize(
    "amount",
    ["146 400.00", "146400.005", "-146400.00", "146400.00 руб", "1.464E5", "146.400,00", "сто"],
)
def test_a_bad_amount_is_refused_with_its_line(amount: str) -> None:
    text = windows_text().replace("Сумма=146400.00", f"Сумма={amount}", 1)
    error = refused(text.encode("cp1251"))
    assert error.reason == "bank-error-amount"
    assert error.details == {
        "line": line_of(text, f"Сумма={amount}"),
        "field": "Сумма",
        "value": amount,
    }


def test_balances_may_be_negative_and_zero_decimals_beyond_kopecks_are_exact() -> None:
    text = windows_text().replace("НачальныйОстаток=1250000.00", "НачальныйОстаток=-1500,5")
    text = text.replace("Сумма=9999.99", "Сумма=9999.9900")
    statement = parse_statement(text.encode("cp1251"))
    assert statement.balances[0].opening_balance == Decimal("-1500.50")
    assert str(statement.documents[-1].amount) == "9999.99"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("Дата", "32.07.2026"),
        ("Дата", "31.02.2026"),
        ("Дата", "2026-07-31"),
        ("Дата", "31.07.26"),
        ("ДатаПоступило", "3 августа 2026"),
    ],
)
def test_a_bad_date_is_refused_with_its_line(field: str, value: str) -> None:
    original = {"Дата": "Дата=31.07.2026", "ДатаПоступило": "ДатаПоступило=03.08.2026"}[field]
    text = windows_text().replace(original, f"{field}={value}", 1)
    error = refused(text.encode("cp1251"))
    assert error.reason == "bank-error-date"
    assert error.details == {
        "line": line_of(text, f"{field}={value}"),
        "field": field,
        "value": value,
    }


def test_a_bad_header_date_is_refused_with_its_line() -> None:
    text = windows_text().replace("ДатаНачала=03.08.2026", "ДатаНачала=03.08.2026 0:00:00", 1)
    error = refused(text.encode("cp1251"))
    assert error.reason == "bank-error-date"
    assert error.details["line"] == line_of(text, "ДатаНачала=03.08.2026 0:00:00")
    assert error.details["field"] == "ДатаНачала"


@pytest.mark.parametrize("line", ["Сумма=146400.00", "Дата=31.07.2026"])
@pytest.mark.parametrize("how", ["without the line", "with an empty value"])
def test_a_document_without_its_date_or_amount_is_refused(line: str, how: str) -> None:
    text = windows_text()
    key = line.split("=")[0]
    if how == "without the line":
        broken = text.replace(f"{line}\r\n", "", 1)
    else:
        broken = text.replace(line, f"{key}=", 1)
    error = refused(broken.encode("cp1251"))
    assert error.reason == "bank-error-missing-field"
    assert error.details == {
        "line": line_of(text, "СекцияДокумент=Платежное поручение"),
        "field": key,
    }


def test_a_deciding_field_given_twice_is_refused_unless_it_repeats_itself() -> None:
    text = windows_text()
    twice = text.replace("Сумма=146400.00\r\n", "Сумма=146400.00\r\nСумма=14640.00\r\n", 1)
    error = refused(twice.encode("cp1251"))
    assert (error.reason, error.details) == (
        "bank-error-duplicate-field",
        {"line": line_of(twice, "Сумма=14640.00"), "field": "Сумма"},
    )
    same = text.replace("Сумма=146400.00\r\n", "Сумма=146400.00\r\nСумма=146400.00\r\n", 1)
    assert parse_statement(same.encode("cp1251")).documents[0].amount == Decimal("146400.00")


@pytest.mark.parametrize(
    ("after", "inserted"),
    [
        ("Сумма=146400.00", "Платежное поручение № 5812"),
        ("ВремяСоздания=09:12:44", "Выписка за 03.08.2026"),
        ("Сумма=146400.00", "Плательщик Банк1=АО АЛЬФА-БАНК"),
    ],
)
def test_a_line_that_is_not_a_field_is_refused_with_its_line(after: str, inserted: str) -> None:
    text = windows_text().replace(f"{after}\r\n", f"{after}\r\n{inserted}\r\n", 1)
    error = refused(text.encode("cp1251"))
    assert (error.reason, error.details) == (
        "bank-error-syntax",
        {"line": line_of(text, inserted)},
    )


def test_a_file_over_the_size_limit_is_refused_before_reading() -> None:
    assert MAX_BYTES == 20 * 1024 * 1024
    error = refused(b"1CClientBankExchange\r\n" + b" " * MAX_BYTES)
    assert (error.reason, error.details) == (
        "bank-error-too-large",
        {"size_mb": 21, "limit_mb": 20},
    )
    data = WINDOWS
    assert refused(data, max_bytes=len(data) - 1).reason == "bank-error-too-large"
    assert len(parse_statement(data, max_bytes=len(data)).documents) == 7


def test_a_file_with_too_many_documents_is_refused() -> None:
    text = windows_text()
    error = refused(WINDOWS, max_documents=2)
    assert (error.reason, error.details) == (
        "bank-error-too-many-documents",
        {"line": line_of(text, "Номер=1044") - 1, "limit": 2},
    )


# --- Money received -----------------------------------------------------------------------


def test_incoming_payments_are_the_money_received_on_our_accounts() -> None:
    statement = parse_statement(WINDOWS)
    payments = incoming_payments(statement)

    # Left out: 1044 (we paid a supplier), 697162 (the bank's commission), 1045 (our
    # account A to our account B), 98 (our account at another bank: our own ИНН pays).
    assert [payment.number for payment in payments] == ["5812", "347", "000731"]
    by_number = {document.number: document for document in statement.documents}
    assert by_number["1045"].recipient_account == ACCOUNT_B
    assert by_number["98"].recipient_account == ACCOUNT_A
    assert by_number["98"].payer_inn == OUR_INN

    romashka, ivanov, alfa = payments
    assert romashka.dated == date(2026, 7, 31)
    assert romashka.received_on == date(2026, 8, 3)
    assert romashka.amount == Decimal("146400.00")
    assert (romashka.payer_name, romashka.payer_inn, romashka.payer_kpp) == (
        'ООО "Ромашка"',
        "7718012340",
        "771801001",
    )
    assert romashka.payer_account == "40702810100000005555"
    assert romashka.account == ACCOUNT_A
    assert romashka.named_numbers == ("123",)
    assert romashka.named_documents == (NamedDocument(NamedKind.INVOICE, "123", date(2026, 8, 1)),)
    assert romashka.kind == "Платежное поручение"
    assert romashka.line == by_number["5812"].line
    # No Плательщик1: the name is Плательщик without 1C's "ИНН … " prefix.
    assert by_number["347"].fields["Плательщик"] == "ИНН 500100732259 ИП Иванов Пётр Сергеевич"
    assert ivanov.payer_name == "ИП Иванов Пётр Сергеевич"
    assert ivanov.payer_kpp == "0"
    assert ivanov.named_numbers == ("0001", "0002")
    assert alfa.account == ACCOUNT_B
    assert alfa.named_numbers == ("ТД00-000123",)
    assert alfa.named_documents == (
        NamedDocument(NamedKind.SHIPMENT, "ТД00-000123", date(2026, 7, 30)),
        NamedDocument(NamedKind.CONTRACT, "15/2026", date(2026, 1, 10)),
    )


def test_incoming_payments_of_a_dos_statement() -> None:
    payments = incoming_payments(parse_statement(DOS))
    # The tax payment (233) went out; the bank's interest came in.
    assert [(p.number, p.amount, p.named_numbers) for p in payments] == [
        ("15", Decimal("48800.00"), ("45/2",)),
        ("16", Decimal("1220.00"), ("183", "211")),
        ("88120", Decimal("12.17"), ()),
    ]
    assert {payment.account for payment in payments} == {ACCOUNT_C}


def test_our_other_accounts_can_be_named() -> None:
    other = "40702810100000099999"
    # The same transfer, but the bank left the payer's ИНН out.
    text = windows_text()
    transfer = block(text, "98")
    text = text.replace(transfer, transfer.replace(f"ПлательщикИНН={OUR_INN}", "ПлательщикИНН="))
    statement = parse_statement(text.encode("cp1251"))
    assert "98" in [payment.number for payment in incoming_payments(statement)]
    numbers = [payment.number for payment in incoming_payments(statement, own_accounts=[other])]
    assert numbers == ["5812", "347", "000731"]


def test_accounts_are_compared_without_spaces() -> None:
    text = windows_text().replace(f"РасчСчет={ACCOUNT_A}", "РасчСчет=40702 810 4 0000 0012345")
    statement = parse_statement(text.encode("cp1251"))
    assert statement.accounts == (ACCOUNT_A, ACCOUNT_B)
    assert [p.number for p in incoming_payments(statement)] == ["5812", "347", "000731"]


def test_the_receipt_date_falls_back_to_the_document_date() -> None:
    text = windows_text()
    romashka = block(text, "5812")
    text = text.replace(romashka, romashka.replace("ДатаПоступило=03.08.2026\r\n", ""))
    payment = incoming_payments(parse_statement(text.encode("cp1251")))[0]
    assert payment.received_on == payment.dated == date(2026, 7, 31)


def test_a_statement_without_accounts_has_no_incoming_payments() -> None:
    text = windows_text()
    lines = [line for line in text.split("\r\n") if not line.startswith("РасчСчет=")]
    statement = parse_statement("\r\n".join(lines).encode("cp1251"))
    assert statement.accounts == ()
    assert len(statement.documents) == 7
    assert incoming_payments(statement) == []
    assert [p.number for p in incoming_payments(statement, [ACCOUNT_A, ACCOUNT_B])] == [
        "5812",
        "347",
        "000731",
    ]


# --- Numbers a purpose names --------------------------------------------------------------

PURPOSES = [
    ("Оплата по счету № 123 от 01.08.2026 за товар, в т.ч. НДС 22%", ("123",)),
    ("Оплата по УПД №0001 от 01.08.2026, УПД № 0002 от 02.08.2026", ("0001", "0002")),
    ("Опл. по сч. 45/2 от 3.08.26", ("45/2",)),
    ("Оплата по реализации ТД00-000123 от 05.08.2026, в т.ч. НДС 22% 1 803,28", ("ТД00-000123",)),
    ("Оплата согласно договору №15/2026 от 01.02.2026 по счету 77", ("77",)),
    ("НДС не облагается", ()),
    (
        "Оплата по сч.№ 183 от 31.05.2022 г, № 211 от 30.06.2022 г за медицинские услуги, без НДС",
        ("183", "211"),
    ),
    ("за электрокомпоненты по Счету на оплату № 123 от 28 мая 2021, в т.ч. НДС 20%", ("123",)),
    ("Оплата по счету № 1595/92 за обслуживание", ("1595/92",)),
    ("Оплата по счету INV-000021", ("INV-000021",)),
    (
        "Оплата по счетам 101, 102 и 103 за август 2026 г. Сумма 150000-00, "
        "в т.ч. НДС 22% 27049-18",
        ("101", "102", "103"),
    ),
    ("Оплата по счет-фактуре № 77 от 02.08.2026 и ТОРГ-12 № 78 от 02.08.2026", ("77", "78")),
    ("Оплата по товарной накладной ТОРГ-12 № 890 от 12.03.2026", ("890",)),
    ("Оплата по накладным № 15, 16, 17 от 05.08.2026", ("15", "16", "17")),
    ("Предоплата по заказу покупателя № ЗК-000458 от 10.08.2026", ("ЗК-000458",)),
    ("Оплата по заказу №4512 (счет 4513) за доставку", ("4512", "4513")),
    ("Оплата заказа 4512 по счету 4512 от 01.11.2026", ("4512",)),
    ("Оплата по сч/ф 12 от 01.08.2026 и акту № 13 от 01.08.2026", ("12", "13")),
    ("Оплата по счету от 01.08.2026 № 5 за товар", ("5",)),
    ("Оплата по счету 123.В т.ч. НДС 20% 200.00", ("123",)),
    (
        "Оплата по реализации ТД00-000123, ТД00-000124 от 05.08.2026",
        ("ТД00-000123", "ТД00-000124"),
    ),
    ("Оплата по счёту N 12 от 1.08.2026г. НДС 22% - 2163,93", ("12",)),
    ("Оплата по счету № 12 от 01.08.2026, 3 шт, в т.ч. НДС", ("12",)),
]


@pytest.mark.parametrize(("purpose", "numbers"), PURPOSES)
def test_named_numbers(purpose: str, numbers: tuple[str, ...]) -> None:
    assert named_numbers(purpose) == numbers


NEVER_NUMBERS = [
    # Amounts, VAT rates, dates, ИНН, accounts, contracts, "б/н", payment orders.
    "Оплата по договору. Сумма 12354-00 без налога (НДС)",
    "Оплата по договору ОФ-1П за запчасти. Сумма 1 031 441-61. в т.ч. НДС (20%) 171 906-94",
    "Расчет по договору N Н 394/536-10-16 от 05.05.2010 за услуги связи. в т.ч. НДС 20%: 0.00",
    "За Татарстан. Расчет по договору N б/н от 01.09.2008 за аренду. Не облагается НДС",
    "Аванс по дог. поставки № 15/2026 от 01.02.2026, НДС 22% 18 032,79",
    "Возврат ошибочно перечисленных средств по п/п № 345 от 01.08.2026",
    "Перевод собственных средств на расчетный счет 40702810400000012345",
    "Оплата по лицевому счету 123456 за август",
    "ИНН 7718012340 КПП 771801001 оплата за товар 01.08.2026 НДС 22%",
    "Оплата по счету 45000.00 руб",
    "Оплата по счету от 01.08.2026 за товар",
    "Оплата по акту сверки № 5 от 01.08.2026",
    "Оплата по счету № 40817810099910004312",
    "Оплата по счету №01.08.2026",
]


@pytest.mark.parametrize("purpose", NEVER_NUMBERS)
def test_amounts_dates_rates_inn_and_contracts_are_never_named_numbers(purpose: str) -> None:
    assert named_numbers(purpose) == ()


@pytest.mark.parametrize(
    ("purpose", "documents"),
    [
        (
            "Оплата согласно договору №15/2026 от 01.02.2026 по счету 77",
            (
                NamedDocument(NamedKind.CONTRACT, "15/2026", date(2026, 2, 1)),
                NamedDocument(NamedKind.INVOICE, "77", None),
            ),
        ),
        (
            "Опл. по сч. 45/2 от 3.08.26",
            (NamedDocument(NamedKind.INVOICE, "45/2", date(2026, 8, 3)),),
        ),
        (
            "Оплата по сч/ф 12 от 01.08.2026 и акту № 13 от 01.08.2026",
            (
                NamedDocument(NamedKind.SHIPMENT, "12", date(2026, 8, 1)),
                NamedDocument(NamedKind.SHIPMENT, "13", date(2026, 8, 1)),
            ),
        ),
        (
            "Оплата по накладным № 15, 16 от 05.08.2026 по заказу 7",
            (
                NamedDocument(NamedKind.SHIPMENT, "15", date(2026, 8, 5)),
                NamedDocument(NamedKind.SHIPMENT, "16", date(2026, 8, 5)),
                NamedDocument(NamedKind.INVOICE, "7", None),
            ),
        ),
        (
            "Расчет по договору N Н 394/536-10-16 от 05.05.2010 за услуги связи",
            (NamedDocument(NamedKind.CONTRACT, "Н 394/536-10-16", date(2010, 5, 5)),),
        ),
        (
            "за электрокомпоненты по Счету на оплату № 123 от 28 мая 2021",
            (NamedDocument(NamedKind.INVOICE, "123", date(2021, 5, 28)),),
        ),
        (
            "Оплата по УПД № 5 от 31.02.2026",
            (NamedDocument(NamedKind.SHIPMENT, "5", None),),
        ),
    ],
)
def test_named_documents_carry_their_kind_and_date(
    purpose: str, documents: tuple[NamedDocument, ...]
) -> None:
    assert named_documents(purpose) == documents


# --- A payment's key ----------------------------------------------------------------------


def _incoming(statement: BankStatement) -> dict[str, str]:
    return {payment.number: bank_key(payment) for payment in incoming_payments(statement)}


def test_the_same_statement_read_twice_has_the_same_keys() -> None:
    first = _incoming(parse_statement(WINDOWS))
    again = _incoming(parse_statement(WINDOWS))
    assert first == again
    assert len(set(first.values())) == len(first) == 3
    # The same statement in the other encoding and line endings: the same payments.
    text = windows_text().replace("Кодировка=Windows", "Кодировка=DOS").replace("\r\n", "\n")
    assert _incoming(parse_statement(text.encode("cp866"))) == first


def test_a_payment_known_from_1c_has_the_same_key() -> None:
    payments = {p.number: p for p in incoming_payments(parse_statement(WINDOWS))}
    # 1C keeps the payer's order number and date as НомерВходящегоДокумента and
    # ДатаВходящегоДокумента; the bank padded the number with zeros.
    from_1c = payment_key(
        payer_inn="7801122331", number="731", dated=date(2026, 8, 4), amount=Decimal("9999.99")
    )
    assert bank_key(payments["000731"]) == from_1c
    assert bank_key(payments["5812"]) == payment_key(
        payer_inn="7718012340", number="5812", dated=date(2026, 7, 31), amount=Decimal("146400")
    )
    # Dated by the payer (Дата), not by the receipt (ДатаПоступило).
    assert bank_key(payments["5812"]) != payment_key(
        payer_inn="7718012340", number="5812", dated=date(2026, 8, 3), amount=Decimal("146400")
    )


@pytest.mark.parametrize(
    "change",
    [
        {"payer_inn": "7718012341"},
        {"number": "5813"},
        {"dated": date(2026, 7, 30)},
        {"amount": Decimal("146400.01")},
    ],
)
def test_keys_differ_when_the_payment_does(change: dict[str, object]) -> None:
    base: dict[str, object] = {
        "payer_inn": "7718012340",
        "number": "5812",
        "dated": date(2026, 7, 31),
        "amount": Decimal("146400.00"),
    }
    assert payment_key(**base) != payment_key(**{**base, **change})  # type: ignore[arg-type]


def test_a_payer_without_inn_is_told_apart_by_account() -> None:
    text = windows_text()
    romashka, ivanov = block(text, "5812"), block(text, "347")
    # Two payers without ИНН, the same number, date and amount.
    same = ivanov.replace("Номер=347", "Номер=5812").replace("Дата=03.08.2026", "Дата=31.07.2026")
    same = same.replace("Сумма=56000.00", "Сумма=146400.00")
    text = text.replace(ivanov, same.replace("ПлательщикИНН=500100732259", "ПлательщикИНН="))
    text = text.replace(romashka, romashka.replace("ПлательщикИНН=7718012340", "ПлательщикИНН=0"))
    payments = incoming_payments(parse_statement(text.encode("cp1251")))
    keys = [bank_key(payment) for payment in payments[:2]]
    assert keys[0] != keys[1]
    assert keys[0].startswith("40702810100000005555|")
    assert keys[1].startswith("40802810500000007777|")
