"""Django forms of the pages; they parse and label input, the services decide what is valid."""
