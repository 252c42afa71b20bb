//go:build !renderonly

package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/workflow"
)

// openReady opens the database and makes sure its schema is current: the
// embedded one is migrated, PostgreSQL must be migrated first.
func openReady(ctx context.Context, db dbFlags) (*store.Store, error) {
	st, err := db.open()
	if err != nil {
		return nil, err
	}
	if st.Embedded() {
		err = st.Migrate(ctx)
	} else if err = st.CheckSchema(ctx); errors.Is(err, store.ErrBehind) {
		err = fmt.Errorf("%w; run \"baocao migrate\" (with the same DATABASE_URL) first", err)
	}
	if err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// agencyFlag resolves --agency-id or --agency (a name, diacritics and case
// ignored) to an agency id; 0 when neither is given.
func agencyFlag(ctx context.Context, st *store.Store, id int64, name string) (int64, error) {
	if id != 0 || name == "" {
		return id, nil
	}
	all, err := st.ListAgencies(ctx)
	if err != nil {
		return 0, err
	}
	var found []store.Agency
	for _, a := range all {
		if store.Fold(a.Name) == store.Fold(name) {
			found = append(found, a)
		}
	}
	switch len(found) {
	case 0:
		return 0, usageError{fmt.Sprintf("no agency is named %q (see GET /api/v1/agencies, or give --agency-id)", name)}
	case 1:
		return found[0].ID, nil
	}
	// The same name in several provinces: say which is which.
	names := map[int64]string{}
	for _, a := range all {
		names[a.ID] = a.Name
	}
	var which []string
	for _, a := range found {
		w := fmt.Sprintf("--agency-id %d", a.ID)
		if a.ParentID != nil {
			w += " (under " + names[*a.ParentID] + ")"
		}
		which = append(which, w)
	}
	return 0, usageError{fmt.Sprintf("%d agencies are named %q; give one of: %s", len(found), name, strings.Join(which, "; "))}
}

// readPassword takes the first line of stdin, or makes a random password.
func readPassword(fromStdin bool, stdin io.Reader) (string, bool, error) {
	if !fromStdin {
		return auth.Token(12), true, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, err
	}
	return strings.TrimRight(line, "\r\n"), false, nil
}

// fieldErrors prints a validation error's fields as a usage error.
func fieldErrors(err error) error {
	var ve *doc.ValidationError
	if errors.As(err, &ve) {
		var parts []string
		for _, f := range ve.Fields {
			parts = append(parts, "--"+strings.ReplaceAll(f.Field, "_", "-")+" "+f.Problem)
		}
		return usageError{strings.Join(parts, "; ")}
	}
	if errors.Is(err, store.ErrDuplicate) {
		return fmt.Errorf("%w: that name is taken", err)
	}
	return err
}

// people are the workflows of accounts and keys over the store, as the
// command line (workflow.CLI) runs them; fam is the font family texts
// are checked against (nil where no text is taken).
func people(st *store.Store, fam *fonts.Family) *workflow.Service {
	return &workflow.Service{Store: st, Fonts: fam}
}

// withStore parses a subcommand's flags, opens the database with its
// schema current, and runs the action.
func withStore(fs *flag.FlagSet, db dbFlags, args []string, action func(context.Context, *store.Store) error) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := openReady(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	return action(ctx, st)
}

func cmdUser(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"user: want add, passwd, disable, enable or list"}
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := addDBFlags(fs)
	username := fs.String("username", "", "the user's login name (a-z, 0-9, . _ -)")
	needName := func() error {
		if *username == "" {
			return usageError{"user " + args[0] + ": --username is required"}
		}
		return nil
	}
	switch args[0] {
	case "add":
		role := fs.String("role", "", "admin, secretariat, reporter or auditor")
		name := fs.String("name", "", "the user's full name, e.g. \"Nguyễn Thị Hoa\"")
		agencyID := fs.Int64("agency-id", 0, "a reporter's agency, by id")
		agency := fs.String("agency", "", "a reporter's agency, by name")
		email := fs.String("email", "", "the user's e-mail address, for reminders and notices (optional)")
		pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin; default: make one and print it")
		return withStore(fs, db, args[1:], func(ctx context.Context, st *store.Store) error {
			aid, err := agencyFlag(ctx, st, *agencyID, *agency)
			if err != nil {
				return err
			}
			pw, made, err := readPassword(*pwStdin, stdin)
			if err != nil {
				return err
			}
			fam, err := loadFonts(os.Getenv("BAOCAO_FONTS"))
			if err != nil {
				return err
			}
			var errs []doc.FieldError
			cleanText(fam, "--name", name, &errs)
			if err := undrawable("user add", errs); err != nil {
				return err
			}
			u, err := people(st, fam).CreateUser(ctx, workflow.CLI, store.UserInput{Username: *username, DisplayName: *name, Role: *role, AgencyID: aid, Password: pw, Email: *email})
			if err != nil {
				return fieldErrors(err)
			}
			_ = st.Audit(ctx, store.AuditEntry{Actor: "cli", Action: "user.create", Resource: "user/" + u.Username, Detail: "role " + u.Role})
			fmt.Fprintf(stdout, "user %s created: %s%s\n", u.Username, auth.RoleName(u.Role), suffix(u.AgencyName))
			printPassword(stdout, pw, made)
			return nil
		})
	case "passwd":
		pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin; default: make one and print it")
		return withStore(fs, db, args[1:], func(ctx context.Context, st *store.Store) error {
			if err := needName(); err != nil {
				return err
			}
			pw, made, err := readPassword(*pwStdin, stdin)
			if err != nil {
				return err
			}
			if err := people(st, nil).ResetPassword(ctx, workflow.CLI, *username, pw); err != nil {
				return fieldErrors(err)
			}
			_ = st.Audit(ctx, store.AuditEntry{Actor: "cli", Action: "user.passwd", Resource: "user/" + *username})
			fmt.Fprintf(stdout, "password of %s changed; its sessions ended\n", *username)
			printPassword(stdout, pw, made)
			return nil
		})
	case "disable", "enable":
		return withStore(fs, db, args[1:], func(ctx context.Context, st *store.Store) error {
			if err := needName(); err != nil {
				return err
			}
			if err := people(st, nil).SetDisabled(ctx, workflow.CLI, *username, args[0] == "disable"); err != nil {
				return err
			}
			_ = st.Audit(ctx, store.AuditEntry{Actor: "cli", Action: "user." + args[0], Resource: "user/" + *username})
			fmt.Fprintf(stdout, "user %s %sd\n", *username, args[0])
			return nil
		})
	case "list":
		return withStore(fs, db, args[1:], func(ctx context.Context, st *store.Store) error {
			us, err := st.ListUsers(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "USERNAME\tROLE\tAGENCY\tNAME\tDISABLED\tEMAIL")
			for _, u := range us {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%s\n", u.Username, u.Role, u.AgencyName, u.DisplayName, u.Disabled, u.Email)
			}
			return tw.Flush()
		})
	}
	return usageError{fmt.Sprintf("user: unknown command %q; want add, passwd, disable, enable or list", args[0])}
}

func printPassword(w io.Writer, pw string, made bool) {
	if made {
		fmt.Fprintf(w, "password (shown only now): %s\n", pw)
	}
}

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return " · " + s
}

func cmdKey(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"key: want create, list or revoke"}
	}
	fs := flag.NewFlagSet("key "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := addDBFlags(fs)
	switch args[0] {
	case "create":
		name := fs.String("name", "", "what the key is for, e.g. \"cổng thông tin tỉnh\"")
		scope := fs.String("scope", "", "render (only POST /api/v1/render) or a role: admin, secretariat, reporter, auditor")
		agencyID := fs.Int64("agency-id", 0, "the agency of a reporter key, by id")
		agency := fs.String("agency", "", "the agency of a reporter key, by name")
		expires := fs.Duration("expires", 0, "lifetime, e.g. 2160h; 0: no expiry")
		return withStore(fs, db, args[1:], func(ctx context.Context, st *store.Store) error {
			aid, err := agencyFlag(ctx, st, *agencyID, *agency)
			if err != nil {
				return err
			}
			fam, err := loadFonts(os.Getenv("BAOCAO_FONTS"))
			if err != nil {
				return err
			}
			k, secret, err := people(st, fam).CreateKey(ctx, workflow.CLI, workflow.KeyRequest{Name: *name, Scope: *scope, AgencyID: aid, ExpiresIn: *expires})
			if err != nil {
				return fieldErrors(err)
			}
			_ = st.Audit(ctx, store.AuditEntry{Actor: "cli", Action: "key.create", Resource: "key/" + strconv.FormatInt(k.ID, 10), Detail: "key " + k.Prefix + " scope " + k.Scope})
			fmt.Fprintf(stdout, "key %d (%s) created, scope %s%s\n", k.ID, k.Name, k.Scope, suffix(k.AgencyName))
			if k.ExpiresAt != nil {
				fmt.Fprintf(stdout, "expires %s\n", k.ExpiresAt.Format(time.RFC3339))
			}
			fmt.Fprintf(stdout, "secret (shown only now; send as Authorization: Bearer …):\n%s\n", secret)
			return nil
		})
	case "list":
		return withStore(fs, db, args[1:], func(ctx context.Context, st *store.Store) error {
			ks, err := st.ListKeys(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tSCOPE\tAGENCY\tEXPIRES\tREVOKED")
			for _, k := range ks {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Scope, k.AgencyName, when(k.ExpiresAt), when(k.RevokedAt))
			}
			return tw.Flush()
		})
	case "revoke":
		// The id may come before or after the flags ("key revoke 3 --db
		// x.db", "key revoke --db x.db 3").
		pos, flags := splitPositional(fs, args[1:])
		if len(pos) != 1 {
			return usageError{"key revoke: want one key id (see baocao key list), e.g. baocao key revoke 3"}
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id <= 0 {
			return usageError{fmt.Sprintf("key revoke: %q is not a key id", pos[0])}
		}
		return withStore(fs, db, flags, func(ctx context.Context, st *store.Store) error {
			k, err := people(st, nil).RevokeKey(ctx, workflow.CLI, id)
			if err != nil {
				return err
			}
			_ = st.Audit(ctx, store.AuditEntry{Actor: "cli", Action: "key.revoke", Resource: "key/" + strconv.FormatInt(id, 10)})
			fmt.Fprintf(stdout, "key %d (%s) revoked\n", k.ID, k.Name)
			return nil
		})
	}
	return usageError{fmt.Sprintf("key: unknown command %q; want create, list or revoke", args[0])}
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format("2006-01-02 15:04")
}

// splitPositional separates the positional arguments from the flags (and
// their values) of args, wherever they stand: Go's flag package stops at
// the first positional one.
func splitPositional(fs *flag.FlagSet, args []string) (pos, flags []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(pos, args[i+1:]...), flags
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil { // an unknown flag: flag.Parse names it
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); (!ok || !b.IsBoolFlag()) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return pos, flags
}
