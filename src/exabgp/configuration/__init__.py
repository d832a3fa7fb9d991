"""The configuration: tokenizer, grammar and templates, producing a frozen model of the whole file."""
