"""Pure domain knowledge: identifiers, legal rules, Turkish text handling, geography. No I/O."""
