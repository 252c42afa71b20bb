package signing

import (
	"crypto"
	"errors"
	"fmt"
	"os"

	"software.sslmate.com/src/go-pkcs12"
)

// LoadPKCS12 reads a key and its chain from a PKCS#12 (.p12, .pfx) file
// protected by password (modern AES/PBKDF2 files and the legacy
// 3DES/RC2 ones).
func LoadPKCS12(path, password string) (*Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("PKCS#12: %w", err)
	}
	priv, cert, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		return nil, fmt.Errorf("PKCS#12 %s: %w", path, err)
	}
	signer, ok := priv.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("PKCS#12 %s: the key (%T) cannot sign", path, priv)
	}
	k := &Key{Signer: signer, Chain: append(append(chain[:0:0], cert), chain...)}
	if err := k.check(); err != nil {
		return nil, fmt.Errorf("PKCS#12 %s: %w", path, err)
	}
	return k, nil
}

// PKCS11Config names a key in a PKCS#11 token.
type PKCS11Config struct {
	// Module is the PKCS#11 library (softhsm2: /usr/lib/softhsm/libsofthsm2.so).
	Module string
	// TokenLabel names the token; PIN is the user PIN.
	TokenLabel, PIN string
	// KeyLabel names the key pair and its certificate (CKA_LABEL).
	KeyLabel string
}

// errNoPKCS11 is the answer of a binary built without cgo.
var errNoPKCS11 = errors.New("PKCS#11 needs a build with cgo (CGO_ENABLED=1)")
