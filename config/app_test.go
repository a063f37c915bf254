package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func appDoc(block string) string {
	return strings.Replace(minimal, "    token_env: GH_TOKEN\n", block, 1)
}

func TestAppKeyFormats(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8RSA, _ := x509.MarshalPKCS8PrivateKey(rsaKey)
	pkcs8EC, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	for _, tc := range []struct {
		name, key, want string
	}{
		{"PKCS#1 as GitHub generates it", string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)})), ""},
		{"PKCS#8 RSA", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8RSA})), ""},
		{"PKCS#8 EC", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8EC})), "holds a *ecdsa.PrivateKey, not an RSA private key"},
		{"a public key", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("c2VjcmV0LWJ5dGVz")})), `is a PEM "PUBLIC KEY" block but not an RSA private key`},
		{"a token", "ghs_0123456789abcdef", "is not PEM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("x.yaml", []byte(appDoc("    app:\n      id: 1\n      installation_id: 2\n      private_key_env: APP_KEY\n")),
				Options{Getenv: envOf(map[string]string{"APP_KEY": tc.key}), Secrets: true})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				key, err := cfg.Trackers[0].AppKey(envOf(map[string]string{"APP_KEY": tc.key}))
				if err != nil || string(key) != tc.key {
					t.Fatalf("AppKey = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "x.yaml:8: tracker \"gh\": the GitHub App private key in environment variable APP_KEY (app.private_key_env) "+tc.want) {
				t.Fatalf("Parse = %v; want %q", err, tc.want)
			}
			for _, secret := range []string{"ghs_0123", "c2VjcmV0"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error quotes the key: %v", err)
				}
			}
		})
	}
}

// TestAppKeyFileIsRelativeToTheConfig: private_key_file, like store:, is
// found from the config file's directory, wherever ladder runs.
func TestAppKeyFileIsRelativeToTheConfig(t *testing.T) {
	dir := t.TempDir()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(filepath.Join(dir, "app.pem"), pemKey, 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ladder.yaml")
	if err := os.WriteFile(path, []byte(appDoc("    app:\n      id: 1\n      installation_id: 2\n      private_key_file: app.pem\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, Options{Getenv: envOf(nil), Secrets: true})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, err := cfg.Trackers[0].AppKey(envOf(nil)); err != nil || string(got) != string(pemKey) {
		t.Errorf("AppKey from the file next to the config: %v", err)
	}
}
