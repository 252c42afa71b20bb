//go:build !renderonly

package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/fonts"
	"baocao/workflow"
)

// firstAccounts makes the first administrator when the database has no
// user, and prints how to log in: the passwords are shown only now. With
// demo data it also makes one account of each other role, the reporter
// for the agency that leads the most tasks of the demo plans.
func firstAccounts(ctx context.Context, st *store.Store, demo bool, base string, out io.Writer) error {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	fam, err := fonts.Default()
	if err != nil {
		return err
	}
	w := people(st, fam)
	type account struct {
		in   store.UserInput
		note string
	}
	accounts := []account{{in: store.UserInput{Username: "admin", DisplayName: "Quản trị hệ thống", Role: auth.RoleAdmin}}}
	if demo {
		lead, name, err := st.TopLead(ctx)
		if err != nil {
			return err
		}
		if a, err := st.GetAgency(ctx, lead); err == nil && a.ParentID != nil {
			if p, err := st.GetAgency(ctx, *a.ParentID); err == nil {
				name += ", " + p.Name // the same name may stand in other provinces
			}
		}
		accounts = append(accounts,
			account{in: store.UserInput{Username: "vanphong", DisplayName: "Văn phòng UBND", Role: auth.RoleSecretariat}},
			account{in: store.UserInput{Username: "kiemtra", DisplayName: "Thanh tra, kiểm tra", Role: auth.RoleAuditor}})
		if lead != 0 {
			accounts = append(accounts, account{in: store.UserInput{Username: "coquan", DisplayName: "Cán bộ " + strings.Split(name, ",")[0],
				Role: auth.RoleReporter, AgencyID: lead}, note: name})
		}
	}
	var b strings.Builder
	b.WriteString("\nbaocao: no accounts yet, so these were made (the passwords are shown only now; change them with \"baocao user passwd\"):\n")
	for _, a := range accounts {
		a.in.Password = auth.Token(12)
		if _, err := w.CreateUser(ctx, workflow.CLI, a.in); err != nil {
			return fmt.Errorf("first accounts: %w", err)
		}
		_ = st.Audit(ctx, store.AuditEntry{Actor: "baocao serve", Action: "user.create", Resource: "user/" + a.in.Username, Detail: "first start"})
		fmt.Fprintf(&b, "  %-9s %-26s password %s  %s\n", a.in.Username, auth.RoleName(a.in.Role), a.in.Password, a.note)
	}
	fmt.Fprintf(&b, "Log in at %s/login\n\n", base)
	_, err = io.WriteString(out, b.String())
	return err
}
