// Package selfsigned makes and keeps the self-signed TLS certificate of a
// server that devices trust by pin rather than by certificate authority:
// a sync server started with --self-signed, and the trainer's hub, which
// serves a room on a network with no internet. The pin is the SHA-256 of
// the certificate's public key (SubjectPublicKeyInfo), as devices check
// it (docs/sync-protocol.md, "Transport").
package selfsigned

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Files names the certificate and key kept in a folder.
type Files struct {
	Cert, Key string
}

// In returns the files named base-cert.pem and base-key.pem in dir.
func In(dir, base string) Files {
	return Files{Cert: filepath.Join(dir, base+"-cert.pem"), Key: filepath.Join(dir, base+"-key.pem")}
}

// Keep loads the certificate kept in f, or makes one (ECDSA P-256, ten
// years, named name) and keeps it, so that the pin devices hold stays
// valid across restarts. The key file is readable by its owner only.
func Keep(f Files, name string) (*tls.Config, error) {
	if _, err := os.Stat(f.Cert); errors.Is(err, fs.ErrNotExist) {
		if err := write(f, name, time.Now()); err != nil {
			return nil, fmt.Errorf("self-signed certificate: %w", err)
		}
	}
	return Load(f)
}

// Load reads a certificate and key (PEM) into a server configuration,
// TLS 1.2 or later.
func Load(f Files) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(f.Cert, f.Key)
	if err != nil {
		return nil, fmt.Errorf("tls: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

func write(f Files, name string, now time.Time) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost", name},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(f.Key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		return err
	}
	return os.WriteFile(f.Cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

// Hash is the SHA-256 of a certificate's SubjectPublicKeyInfo: what a
// pin names.
func Hash(cert *x509.Certificate) [32]byte { return sha256.Sum256(cert.RawSubjectPublicKeyInfo) }

// Pin is the pin devices check: "sha256/" and the base64 of Hash.
func Pin(cert *x509.Certificate) string {
	sum := Hash(cert)
	return "sha256/" + base64.StdEncoding.EncodeToString(sum[:])
}

// Leaf returns the configuration's certificate, parsed.
func Leaf(c *tls.Config) (*x509.Certificate, error) {
	if len(c.Certificates) == 0 {
		return nil, errors.New("tls: no certificate")
	}
	if l := c.Certificates[0].Leaf; l != nil {
		return l, nil
	}
	return x509.ParseCertificate(c.Certificates[0].Certificate[0])
}
