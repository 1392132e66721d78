"""Each company's rules as data (issue 17): the configuration sections, the audited
`Configuration` aggregate and the service the stages read them through."""
