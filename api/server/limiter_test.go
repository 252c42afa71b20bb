package server

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	l := newLimiter(3, time.Minute)
	now := time.Unix(1700000000, 0)
	for i := 0; i < 3; i++ {
		if ok, _ := l.allow(now, "ip:a", "user:x"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	ok, wait := l.allow(now, "ip:a", "user:y")
	if ok || wait <= 0 || wait > time.Minute {
		t.Fatalf("4th attempt from one address: %v %v", ok, wait)
	}
	if _, seen := l.entries["user:y"]; seen {
		t.Error("a refused attempt added the next key")
	}
	// Another address, same user: the user's bucket is empty too.
	if ok, _ := l.allow(now, "ip:b", "user:x"); ok {
		t.Error("4th attempt on one user name from another address allowed")
	}
	// The refused attempt from b did not use b's bucket up.
	for i := 0; i < 3; i++ {
		if ok, _ := l.allow(now, "ip:b", "user:z"); !ok {
			t.Fatalf("address b, attempt %d refused", i+1)
		}
	}
	// A minute later, one more.
	if ok, _ := l.allow(now.Add(61*time.Second), "ip:a", "user:x"); !ok {
		t.Error("no attempt after waiting")
	}
	// Idle entries are forgotten.
	l.allow(now.Add(time.Hour), "ip:c")
	if len(l.entries) != 1 {
		t.Errorf("%d entries after an hour, want 1", len(l.entries))
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/plans/2?period=2024-Q1": "/plans/2?period=2024-Q1",
		"/audit":                  "/audit",
		"":                        "/plans",
		"//evil.example":          "/plans",
		"/\t/evil.example":        "/plans",
		"/\n/evil.example":        "/plans",
		"/\\evil.example":         "/plans",
		"https://evil.example/":   "/plans",
		"evil.example":            "/plans",
		"/%2F/evil.example":       "/plans",
		"javascript:alert(1)":     "/plans",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
