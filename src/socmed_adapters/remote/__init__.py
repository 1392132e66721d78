"""The CLI's remote mode: the same service methods and read-model queries the CLI commands
call, each answered by one request to a socmed server's `/api/v1` as the logged-in member.

`credentials` keeps the login (server URL and API token) in the user's configuration folder;
`client` speaks HTTP and turns RFC 9457 problems back into the domain's errors; `services`
is the stand-in for `Services` (an `app` with the stage services' methods, and `read_models`)
that `CliState` hands the commands when a server is configured.
"""
