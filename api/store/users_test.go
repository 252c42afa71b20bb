package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/doc"
)

func TestUsersAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a, err := st.CreateAgency(ctx, store.AgencyInput{AgencyFields: store.AgencyFields{Name: "Sở Nội vụ"}})
		if err != nil {
			t.Fatal(err)
		}
		const pw = "một mật khẩu dài"
		u, err := st.CreateUser(ctx, store.UserInput{Username: " Hoa.NT ", DisplayName: "Nguyễn Thị Hoa", Role: "reporter", AgencyID: a.ID, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		if u.Username != "hoa.nt" || u.AgencyName != "Sở Nội vụ" || u.Name() != "Nguyễn Thị Hoa (hoa.nt)" {
			t.Errorf("user %+v", u)
		}
		// Bad users are refused with every field named, and nothing is stored.
		for _, in := range []store.UserInput{
			{Username: "x y", Role: "auditor", Password: pw},
			{Username: "x", Role: "reporter", Password: pw},
			{Username: "x", Role: "auditor", AgencyID: a.ID, Password: pw},
			{Username: "x", Role: "boss", Password: pw},
			{Username: "x", Role: "auditor", Password: "ngắn"},
			{Username: "x", Role: "auditor", Password: strings.Repeat("dài", 40000)},
		} {
			var ve *doc.ValidationError
			if _, err := st.CreateUser(ctx, in); !errors.As(err, &ve) {
				t.Errorf("%+v: %v", in, err)
			}
		}
		if _, err := st.CreateUser(ctx, store.UserInput{Username: "x", Role: "reporter", AgencyID: 999, Password: pw}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("unknown agency: %v", err)
		}
		if _, err := st.CreateUser(ctx, store.UserInput{Username: "HOA.NT", Role: "auditor", Password: pw}); !errors.Is(err, store.ErrDuplicate) {
			t.Errorf("duplicate: %v", err)
		}
		if n, _ := st.CountUsers(ctx); n != 1 {
			t.Errorf("%d users", n)
		}
		// Authentication.
		if _, err := st.Authenticate(ctx, "HOA.NT", pw); err != nil {
			t.Errorf("login: %v", err)
		}
		for _, c := range [][2]string{{"hoa.nt", "sai"}, {"ai.do", pw}} {
			if _, err := st.Authenticate(ctx, c[0], c[1]); !errors.Is(err, store.ErrBadCredentials) {
				t.Errorf("%v: %v", c, err)
			}
		}
		// Sessions: found by token, not by anything else; ended by logout,
		// a new password, disabling; dead when expired.
		tok, sess, err := st.CreateSession(ctx, u.ID, "10.0.0.1", time.Hour)
		if err != nil || sess.CSRFToken == "" || sess.User.ID != u.ID {
			t.Fatalf("session %+v %v", sess, err)
		}
		if s2, err := st.GetSession(ctx, tok); err != nil || s2.CSRFToken != sess.CSRFToken {
			t.Errorf("get session: %v", err)
		}
		if _, err := st.GetSession(ctx, sess.CSRFToken); !errors.Is(err, store.ErrBadCredentials) {
			t.Errorf("the CSRF token opened a session: %v", err)
		}
		if err := st.SetPassword(ctx, "hoa.nt", "mật khẩu mới đủ dài"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.GetSession(ctx, tok); !errors.Is(err, store.ErrBadCredentials) {
			t.Errorf("session after a new password: %v", err)
		}
		if _, err := st.Authenticate(ctx, "hoa.nt", pw); !errors.Is(err, store.ErrBadCredentials) {
			t.Error("the old password still works")
		}
		tok, _, _ = st.CreateSession(ctx, u.ID, "", time.Hour)
		if err := st.SetDisabled(ctx, "hoa.nt", true); err != nil {
			t.Fatal(err)
		}
		if _, err := st.GetSession(ctx, tok); !errors.Is(err, store.ErrBadCredentials) {
			t.Errorf("session of a disabled user: %v", err)
		}
		if _, err := st.Authenticate(ctx, "hoa.nt", "mật khẩu mới đủ dài"); !errors.Is(err, store.ErrBadCredentials) {
			t.Error("a disabled user logged in")
		}
		if err := st.SetDisabled(ctx, "hoa.nt", false); err != nil {
			t.Fatal(err)
		}
		tok, _, _ = st.CreateSession(ctx, u.ID, "", time.Minute)
		later := time.Now().Add(2 * time.Minute)
		st.SetClock(func() time.Time { return later })
		if _, err := st.GetSession(ctx, tok); !errors.Is(err, store.ErrBadCredentials) {
			t.Errorf("expired session: %v", err)
		}
		st.SetClock(time.Now)
		tok, _, _ = st.CreateSession(ctx, u.ID, "", time.Hour)
		if err := st.DeleteSession(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if _, err := st.GetSession(ctx, tok); !errors.Is(err, store.ErrBadCredentials) {
			t.Errorf("session after logout: %v", err)
		}
		// The database itself refuses a reporter without an agency.
		if err := st.Exec(ctx, "UPDATE users SET agency_id = NULL"); err == nil {
			t.Error("the schema allows a reporter without an agency")
		}
	})
}

func TestKeysStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		k, secret, err := st.CreateKey(ctx, store.KeyInput{Name: "cổng", Scope: "render", CreatedBy: "cli"})
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := st.KeyByToken(ctx, secret)
		if err != nil || got.ID != k.ID || got.Scope != "render" || got.LastUsedAt == nil {
			t.Fatalf("key %+v %v", got, err)
		}
		keys, _ := st.ListKeys(ctx)
		if len(keys) != 1 || keys[0].Prefix != k.Prefix {
			t.Errorf("list %+v", keys)
		}
		if _, reason, err := st.KeyByToken(ctx, secret+"x"); !errors.Is(err, store.ErrBadCredentials) || reason != "wrong secret" {
			t.Errorf("tampered: %s %v", reason, err)
		}
		if _, err := st.RevokeKey(ctx, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, reason, err := st.KeyByToken(ctx, secret); !errors.Is(err, store.ErrBadCredentials) || reason != "revoked" {
			t.Errorf("revoked: %s %v", reason, err)
		}
		if _, err := st.RevokeKey(ctx, 999); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoke unknown: %v", err)
		}
		var ve *doc.ValidationError
		if _, _, err := st.CreateKey(ctx, store.KeyInput{Name: "x", Scope: "reporter"}); !errors.As(err, &ve) {
			t.Errorf("reporter key without agency: %v", err)
		}
	})
}

// TestAgenciesWithinTheirProvince: plans of two provinces that both name
// "Văn phòng UBND tỉnh" name two agencies, each under its province; a
// task led by the issuing agency is that agency.
func TestAgenciesWithinTheirProvince(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		plans := map[string]store.Plan{}
		for _, name := range []string{"binh-dinh-2017", "lai-chau-2024", "ninh-thuan-2022"} {
			d, err := doc.ReadFile("../../testdata/plans/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			if plans[name], err = st.CreatePlan(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		agencies, err := st.ListAgencies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		offices := map[int64]bool{}
		for _, a := range agencies {
			if a.Name == "Văn phòng UBND tỉnh" {
				if a.ParentID == nil {
					t.Errorf("office %d has no parent", a.ID)
				} else {
					offices[*a.ParentID] = true
				}
			}
		}
		if len(offices) != 2 {
			t.Errorf("the provincial offices of Bình Định and Lai Châu: %d agencies", len(offices))
		}
		// A Lai Châu reporter's office leads Lai Châu tasks only.
		lc := plans["lai-chau-2024"]
		for _, a := range agencies {
			if a.Name != "Văn phòng UBND tỉnh" || a.ParentID == nil || *a.ParentID != lc.AgencyID {
				continue
			}
			if ok, _ := st.PlanInvolves(ctx, plans["binh-dinh-2017"].ID, a.ID); ok {
				t.Error("Lai Châu's office is involved in the Bình Định plan")
			}
			if ok, _ := st.PlanInvolves(ctx, lc.ID, a.ID); !ok {
				t.Error("Lai Châu's office is not involved in its own plan")
			}
		}
		// Saving a plan again keeps its agencies.
		before := len(agencies)
		if _, err := st.UpdatePlan(ctx, lc.ID, lc.Version, lc.Doc); err != nil {
			t.Fatal(err)
		}
		after, _ := st.ListAgencies(ctx)
		if len(after) != before {
			t.Errorf("saving again made %d agencies more", len(after)-before)
		}
	})
}
