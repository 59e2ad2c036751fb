"""The customers HTML pages, by sub-concept; ``urls.py`` maps them."""
