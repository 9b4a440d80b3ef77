"""Trygg: en kommuns program för trygghetskameror, från behov till rapport."""
