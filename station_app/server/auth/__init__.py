"""Sign-in, sign-out and "who am I": passwords, tokens, throttling and the accounts' demo seed."""
