package auth

import (
	"strings"
	"testing"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if err := CheckPassword(h, "mật khẩu đủ dài"); err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if err := CheckPassword(h, "mật khẩu đủ dàI"); err != ErrMismatch {
		t.Fatalf("wrong password: %v", err)
	}
	h2, _ := HashPassword("mật khẩu đủ dài")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if _, err := HashPassword("ngắn"); err == nil {
		t.Fatal("short password accepted")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=1,t=1$x$y", "$bcrypt$x$y$z$w"} {
		if err := CheckPassword(bad, "x"); err == nil || err == ErrMismatch {
			t.Fatalf("malformed hash %q: %v", bad, err)
		}
	}
}

func TestKey(t *testing.T) {
	key, id, hash := NewKey()
	gid, ghash, ok := ParseKey(key)
	if !ok || gid != id || ghash != hash {
		t.Fatalf("ParseKey(%q) = %q %q %v; want %q %q", key, gid, ghash, ok, id, hash)
	}
	if strings.Contains(hash, key[17:]) {
		t.Fatal("hash holds the secret")
	}
	for _, bad := range []string{"", "bck_", "bck_short_x", "xyz_" + key[4:], key[:20]} {
		if _, _, ok := ParseKey(bad); ok {
			t.Fatalf("ParseKey(%q) accepted", bad)
		}
	}
	_, _, h2 := NewKey()
	if h2 == hash {
		t.Fatal("two keys alike")
	}
}
