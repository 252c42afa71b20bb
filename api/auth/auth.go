// Package auth holds baocao's credentials: passwords hashed with Argon2id
// (memory-hard, from golang.org/x/crypto), API keys and session tokens
// that are random, shown once and stored only as SHA-256 hashes, and the
// roles that say who may do what.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Roles of users, and the scopes of API keys ("render" or a role).
const (
	RoleAdmin       = "admin"
	RoleSecretariat = "secretariat"
	RoleReporter    = "reporter"
	RoleAuditor     = "auditor"
	ScopeRender     = "render"
)

// Roles lists the user roles.
var Roles = []string{RoleAdmin, RoleSecretariat, RoleReporter, RoleAuditor}

// RoleName is a role's Vietnamese name.
func RoleName(role string) string {
	switch role {
	case RoleAdmin:
		return "Quản trị hệ thống"
	case RoleSecretariat:
		return "Văn phòng (thường trực)"
	case RoleReporter:
		return "Cơ quan báo cáo"
	case RoleAuditor:
		return "Kiểm tra, thanh tra"
	case ScopeRender:
		return "Chỉ dựng văn bản"
	}
	return role
}

// ValidRole reports whether r is a user role.
func ValidRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// ValidScope reports whether s is an API key scope.
func ValidScope(s string) bool { return s == ScopeRender || ValidRole(s) }

// Argon2id parameters: the OWASP recommendation (19 MiB, 2 passes, 1
// lane); stored with each hash so they can be raised later.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// MinPasswordLength is the shortest password accepted, MaxPasswordLength
// the longest (a passphrase fits; a megabyte of input does not reach
// Argon2id).
const (
	MinPasswordLength = 10
	MaxPasswordLength = 256
)

// HashPassword returns the PHC string of an Argon2id hash of pw.
func HashPassword(pw string) (string, error) {
	if n := len([]rune(pw)); n < MinPasswordLength || n > MaxPasswordLength {
		return "", fmt.Errorf("password: %d to %d characters", MinPasswordLength, MaxPasswordLength)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := idKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// hashSlots bounds the Argon2id computations running at once: each holds
// its memory (19 MiB), so a burst of logins waits instead of exhausting
// memory.
var hashSlots = make(chan struct{}, 4)

func idKey(pw, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey(pw, salt, t, m, p, n)
}

// ErrMismatch: the password or key is wrong.
var ErrMismatch = errors.New("credentials do not match")

// CheckPassword verifies pw against a PHC string from HashPassword.
func CheckPassword(phc, pw string) error {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return fmt.Errorf("password hash: unknown format")
	}
	var v, m, t int
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return fmt.Errorf("password hash: unsupported version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m <= 0 || t <= 0 || p == 0 {
		return fmt.Errorf("password hash: bad parameters")
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("password hash: bad salt")
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return fmt.Errorf("password hash: bad key")
	}
	if m > 1<<20 || t > 16 {
		return fmt.Errorf("password hash: parameters beyond what baocao makes")
	}
	got := idKey([]byte(pw), salt, uint32(t), uint32(m), p, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// dummyHash is checked when a user does not exist, so that a wrong user
// name takes as long as a wrong password. Made on first use, not at start:
// hashing takes 100 ms or more and 20 MB, which every command (render
// included) paid at package initialisation.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not-a-real-password")
	return h
})

// BurnTime spends the time of one password check.
func BurnTime(pw string) { _ = CheckPassword(dummyHash(), pw) }

// Token returns n random bytes, URL-safe base64.
func Token(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // the OS has no randomness: nothing is safe
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is the stored form of a random token (a session cookie, an API
// key's secret). They carry 256 bits of randomness, so a fast hash is
// enough: nothing can be guessed, only a database leak is guarded against.
func HashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// SameToken compares two tokens in constant time.
func SameToken(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// keyPrefix starts every API key, so that one is recognised in logs and
// by secret scanners.
const keyPrefix = "bck_"

// NewKey makes an API key "bck_<id>_<secret>": id is looked up, only the
// hash of secret is stored.
func NewKey() (key, id, secretHash string) {
	id = strings.ToLower(hex.EncodeToString([]byte(Token(6)))[:12])
	secret := Token(32)
	return keyPrefix + id + "_" + secret, id, HashToken(secret)
}

// ParseKey splits a key into its id and the hash of its secret.
func ParseKey(key string) (id, secretHash string, ok bool) {
	rest, found := strings.CutPrefix(key, keyPrefix)
	if !found {
		return "", "", false
	}
	id, secret, found := strings.Cut(rest, "_")
	if !found || len(id) != 12 || len(secret) < 32 {
		return "", "", false
	}
	return id, HashToken(secret), true
}
