"""After promotion: the reference fingerprint, batch judgement and the alert policy."""
