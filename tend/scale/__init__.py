"""A synthetic organization at community-mental-health-center scale (`tend seed`) and the
benchmark of the key pages against it (`tend bench`)."""
