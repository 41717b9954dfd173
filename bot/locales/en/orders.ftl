cmd-neworder = Take a client's order: /neworder <client>
