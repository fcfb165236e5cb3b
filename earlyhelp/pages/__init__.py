"""Pages every visitor or role sees: home, accessibility statement, privacy notice."""
