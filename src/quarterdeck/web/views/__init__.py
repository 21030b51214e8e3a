"""Page views: parse the request, call one reader or service, render."""
