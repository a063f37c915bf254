package config

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// AppKey reads a GitHub App tracker's private key (PEM) from the
// environment variable or the file its app: block names, and checks that it
// is an RSA private key, as GitHub generates them. Errors name the key and
// where it was looked for, never any of its bytes.
func (t Tracker) AppKey(getenv func(string) string) ([]byte, error) {
	if t.App == nil {
		return nil, fmt.Errorf("tracker %q: no app: block", t.Name)
	}
	key, where, err := t.App.read(getenv)
	if err != nil {
		return nil, fmt.Errorf("tracker %q: %w", t.Name, err)
	}
	if err := checkRSAKey(key); err != nil {
		return nil, fmt.Errorf("tracker %q: the GitHub App private key in %s %w", t.Name, where, err)
	}
	return key, nil
}

// read returns the key's bytes and, for messages, where they came from.
func (a *App) read(getenv func(string) string) (key []byte, where string, err error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if a.PrivateKeyEnv != "" {
		where = fmt.Sprintf("environment variable %s (app.private_key_env)", a.PrivateKeyEnv)
		v := getenv(a.PrivateKeyEnv)
		if v == "" {
			return nil, where, fmt.Errorf("%s is not set", where)
		}
		return []byte(v), where, nil
	}
	where = fmt.Sprintf("file %s (app.private_key_file)", a.PrivateKeyFile)
	data, err := os.ReadFile(a.PrivateKeyFile)
	if err != nil {
		return nil, where, fmt.Errorf("cannot read the GitHub App private key %s: %s", where, pathErrorText(err))
	}
	return data, where, nil
}

// checkRSAKey accepts what GitHub hands out when it generates an App's
// private key (PKCS#1, "BEGIN RSA PRIVATE KEY") and the same key converted
// to PKCS#8 ("BEGIN PRIVATE KEY"). Its error says what is wrong without
// quoting the input: a pasted key with a typo is still a secret.
func checkRSAKey(data []byte) error {
	block, _ := pem.Decode(data)
	if block == nil {
		return errors.New(`is not PEM: want the .pem file GitHub generated for the App, from "-----BEGIN RSA PRIVATE KEY-----" to its END line`)
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return fmt.Errorf("is a PEM %q block but not an RSA private key: want the private key GitHub generated for the App", block.Type)
	}
	if _, ok := k.(*rsa.PrivateKey); !ok {
		return fmt.Errorf("holds a %T, not an RSA private key: GitHub Apps sign with RSA keys", k)
	}
	return nil
}
