package config

import _ "embed"

// Starter is the commented ladder.yaml that `ladder init` writes.
//
//go:embed starter.yaml
var Starter []byte
