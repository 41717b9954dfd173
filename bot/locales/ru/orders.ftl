cmd-neworder = Принять заказ клиента: /neworder <клиент>
