//go:build !renderonly

package main

import (
	"bytes"
	"crypto/x509"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"strings"

	"baocao/signing"
	"baocao/workflow"
)

// signFlags are serve's digital signature settings (README "Digital
// signatures and PDF/A"). Passwords and PINs come from a file or the
// environment, never from a flag (a command line is visible to every user
// of the machine).
type signFlags struct {
	trust, chain                   *string
	p12, p12PassFile               *string
	p11Module, p11Token, p11Key    *string
	p11PinFile, seal, tsa, tsaUser *string
	sealMM                         *float64
}

func addSignFlags(fs *flag.FlagSet, ev *envReader) signFlags {
	return signFlags{
		trust: fs.String("trust", env("BAOCAO_TRUST", ""), "comma-separated files of trusted root and intermediate certificates, PEM or DER (env BAOCAO_TRUST); empty: no signature is trusted"),
		chain: fs.String("sign-chain", env("BAOCAO_SIGN_CHAIN", ""), "PEM file of the intermediates of the organisation's certificate, added to its signatures (env BAOCAO_SIGN_CHAIN)"),
		p12:   fs.String("sign-pkcs12", env("BAOCAO_SIGN_PKCS12", ""), "the organisation's key and certificate as a PKCS#12 file (env BAOCAO_SIGN_PKCS12)"),
		p12PassFile: fs.String("sign-pkcs12-password-file", env("BAOCAO_SIGN_PKCS12_PASSWORD_FILE", ""),
			"file holding the PKCS#12 password (env BAOCAO_SIGN_PKCS12_PASSWORD_FILE, or the password itself in BAOCAO_SIGN_PKCS12_PASSWORD)"),
		p11Module: fs.String("sign-pkcs11-module", env("BAOCAO_SIGN_PKCS11_MODULE", ""), "PKCS#11 library of the token holding the organisation's key (env BAOCAO_SIGN_PKCS11_MODULE)"),
		p11Token:  fs.String("sign-pkcs11-token", env("BAOCAO_SIGN_PKCS11_TOKEN", ""), "the token's label (env BAOCAO_SIGN_PKCS11_TOKEN)"),
		p11Key:    fs.String("sign-pkcs11-key", env("BAOCAO_SIGN_PKCS11_KEY", ""), "label of the key and its certificate in the token (env BAOCAO_SIGN_PKCS11_KEY)"),
		p11PinFile: fs.String("sign-pkcs11-pin-file", env("BAOCAO_SIGN_PKCS11_PIN_FILE", ""),
			"file holding the token's user PIN (env BAOCAO_SIGN_PKCS11_PIN_FILE, or the PIN itself in BAOCAO_SIGN_PKCS11_PIN)"),
		seal:    fs.String("seal", env("BAOCAO_SEAL", ""), "the seal image, PNG with a transparent background (env BAOCAO_SEAL)"),
		sealMM:  fs.Float64("seal-mm", float64(ev.Int("BAOCAO_SEAL_MM", 36)), "the seal's real diameter in mm (env BAOCAO_SEAL_MM)"),
		tsa:     fs.String("tsa-url", env("BAOCAO_TSA_URL", ""), "RFC 3161 time-stamping authority for the organisation's signatures (env BAOCAO_TSA_URL); empty: none"),
		tsaUser: fs.String("tsa-user", env("BAOCAO_TSA_USER", ""), "user name at the TSA, its password in BAOCAO_TSA_PASSWORD (env BAOCAO_TSA_USER)"),
	}
}

// secret is a password or PIN: the file's first line, else the
// environment variable.
func secret(file, envName string) (string, error) {
	if file == "" {
		return os.Getenv(envName), nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(data), "\n")
	return strings.TrimRight(line, "\r"), nil
}

// config checks the settings and makes the signing configuration: nil
// when nothing is set. The key is opened once here, so that a wrong
// password or PIN stops the start.
func (f signFlags) config() (*workflow.SigningConfig, error) {
	if *f.trust == "" && *f.p12 == "" && *f.p11Module == "" && *f.seal == "" {
		return nil, nil
	}
	var paths []string
	for _, p := range strings.Split(*f.trust, ",") {
		if p = strings.TrimSpace(p); p != "" {
			paths = append(paths, p)
		}
	}
	trust, err := signing.LoadTrust(paths...)
	if err != nil {
		return nil, err
	}
	cfg := &workflow.SigningConfig{Trust: trust, SealMM: *f.sealMM}
	if *f.sealMM <= 0 || *f.sealMM > 100 {
		return nil, usageError{"serve: --seal-mm must be between 0 and 100"}
	}
	if *f.seal != "" {
		data, err := os.ReadFile(*f.seal)
		if err != nil {
			return nil, fmt.Errorf("seal: %w", err)
		}
		if _, err := png.Decode(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("seal %s: not a PNG image: %w", *f.seal, err)
		}
		cfg.Seal = data
	}
	if *f.tsa != "" {
		cfg.TSA = &signing.TSA{URL: *f.tsa, Username: *f.tsaUser, Password: os.Getenv("BAOCAO_TSA_PASSWORD")}
	}
	var extra []*x509.Certificate
	if *f.chain != "" {
		data, err := os.ReadFile(*f.chain)
		if err != nil {
			return nil, fmt.Errorf("sign chain: %w", err)
		}
		if extra, err = signing.ParseCertificates(data); err != nil {
			return nil, fmt.Errorf("sign chain %s: %w", *f.chain, err)
		}
	}
	switch {
	case *f.p12 != "" && *f.p11Module != "":
		return nil, usageError{"serve: --sign-pkcs12 and --sign-pkcs11-module exclude each other"}
	case *f.p12 != "":
		pass, err := secret(*f.p12PassFile, "BAOCAO_SIGN_PKCS12_PASSWORD")
		if err != nil {
			return nil, fmt.Errorf("PKCS#12 password: %w", err)
		}
		key, err := signing.LoadPKCS12(*f.p12, pass)
		if err != nil {
			return nil, err
		}
		key.Chain = append(key.Chain, extra...)
		cfg.OrgKey = func() (*signing.Key, io.Closer, error) { return key, io.NopCloser(nil), nil }
	case *f.p11Module != "":
		pin, err := secret(*f.p11PinFile, "BAOCAO_SIGN_PKCS11_PIN")
		if err != nil {
			return nil, fmt.Errorf("PKCS#11 PIN: %w", err)
		}
		c := signing.PKCS11Config{Module: *f.p11Module, TokenLabel: *f.p11Token, PIN: pin, KeyLabel: *f.p11Key}
		open := func() (*signing.Key, io.Closer, error) {
			k, closer, err := signing.OpenPKCS11(c)
			if err != nil {
				return nil, nil, err
			}
			k.Chain = append(k.Chain, extra...)
			return k, closer, nil
		}
		_, closer, err := open() // a wrong PIN or label stops the start
		if err != nil {
			return nil, err
		}
		_ = closer.Close()
		cfg.OrgKey = open
	}
	return cfg, nil
}
