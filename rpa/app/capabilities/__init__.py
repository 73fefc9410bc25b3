"""One module per capability: its entry function, which turns a request into a run over the accounts."""
