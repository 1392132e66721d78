"""Who is acting, proven: principals, credentials, sessions, tokens and the store's access policy.

The SOP's approval gate and separation of duties are only as strong as the identity behind
them; this package decides how a member is established (`via`) and what a principal may do.
"""
