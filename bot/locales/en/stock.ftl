cmd-stock = Stock and price: /stock <product or article>
