# The payment claim: the letter to a client with an overdue debt (bot/services/payment_claims.py).
# The same text goes into the message and into the .docx. Amounts come written as a document
# writes them ("1,250,000.00 RUB"), dates as DD.MM.YYYY.
# One line per message: a line break in a Fluent value would end up in the letter.

## The heading
payment-letter-to = To: { $client }
payment-letter-inn = Taxpayer ID (INN): { $inn }
payment-letter-title = PAYMENT CLAIM for the repayment of debt
# Without a known contract the claim stands on the shipment documents themselves.
payment-letter-intro = Our company delivered goods to { $client }, which have not been paid for within the agreed terms. The debt consists of the following shipments:
payment-letter-intro-contract = Our company delivered goods to { $client } under contract No. { $contract }, which have not been paid for within the agreed terms. The debt consists of the following shipments:

## The shipments: a line of the letter and the columns of the .docx table
# $count is the number of days for the plural form (CLDR), $days the same number as the letter writes it.
payment-letter-item = { $index }. Shipment No. { $number } of { $shipped }, due { $due }, amount { $amount }, { $count ->
        [one] { $days } day
       *[other] { $days } days
    } overdue
payment-letter-column-number = Document No.
payment-letter-column-shipped = Shipped on
payment-letter-column-due = Due on
payment-letter-column-amount = Amount
payment-letter-column-days = Days overdue

## The total, the penalty, the demand
payment-letter-total = Total debt: { $total }.
payment-letter-penalty = The contract provides for a penalty for late payment of { $rate } of the unpaid amount for each day of delay. As of { $date } the penalty amounts to { $penalty }.
payment-letter-demand = In view of the above and pursuant to Articles 309, 310 and 516 of the Civil Code of the Russian Federation, we demand that you pay the debt of { $total } by { $deadline } and reply to this claim.
# A contractual penalty rests on Article 330 of the Civil Code.
payment-letter-demand-penalty = In view of the above and pursuant to Articles 309, 310, 330 and 516 of the Civil Code of the Russian Federation, we demand that you pay the debt of { $total } and the penalty of { $penalty } by { $deadline } and reply to this claim.
# Without a contractual penalty the law still grants interest on the debt (Article 395).
payment-letter-warning = Should the claim not be satisfied by that date, we will have to file a lawsuit with the arbitration court to recover the debt, interest for the use of another's funds (Article 395 of the Civil Code of the Russian Federation) and legal costs, including the state fee and the cost of legal representation.
payment-letter-warning-penalty = Should the claim not be satisfied by that date, we will have to file a lawsuit with the arbitration court to recover the debt, the penalty and legal costs, including the state fee and the cost of legal representation.

## The signature
payment-letter-date = Date: { $date }
payment-letter-regards = Sincerely,
payment-letter-signature = Manager ____________________ / { $manager } /
