"""Module paths of the seed SDK (``finto.resources.<resource>.types.<module>``), as aliases."""
