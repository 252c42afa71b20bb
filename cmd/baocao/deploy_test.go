package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"debug/elf"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// needTool skips a test without a tool, or fails it when
// BAOCAO_REQUIRE_TOOLS=1 (CI).
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (BAOCAO_REQUIRE_TOOLS=1): run .ci/install-deps", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// dockerStage is one stage of the Dockerfile: its FROM and instructions,
// continuation lines joined.
type dockerStage struct {
	from, name string
	instr      [][2]string // instruction, arguments
}

func readDockerfile(t *testing.T) []dockerStage {
	t.Helper()
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`\\\n\s*`).ReplaceAllString(string(data), "")
	var stages []dockerStage
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		op, args, _ := strings.Cut(line, " ")
		op = strings.ToUpper(op)
		if op == "FROM" {
			f := strings.Fields(args)
			st := dockerStage{from: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				st.name = f[2]
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			t.Fatalf("Dockerfile: %s before FROM", op)
		}
		stages[len(stages)-1].instr = append(stages[len(stages)-1].instr, [2]string{op, strings.TrimSpace(args)})
	}
	return stages
}

// shellWords splits a command line as sh would for the plain words and
// double-quoted parts the Dockerfile uses.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	inWord, quoted := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, inWord = !quoted, true
		case (r == ' ' || r == '\t') && !quoted:
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// TestDockerfile checks the Dockerfile for what the image must be —
// multi-stage, a static binary on a base without a shell, run as a user
// other than root, a health check on /readyz — and then builds the binary
// with the build stage's own command and flags, checks that it is static,
// that "version" prints the version given with -ldflags -X, and that it
// renders a plan from an empty directory (fonts and templates embedded).
func TestDockerfile(t *testing.T) {
	stages := readDockerfile(t)
	if len(stages) < 2 {
		t.Fatalf("%d stages, want a build stage and a final one", len(stages))
	}
	final := stages[len(stages)-1]
	if !strings.HasPrefix(final.from, "gcr.io/distroless/static") && final.from != "scratch" {
		t.Errorf("final stage FROM %s: want a static base (distroless static or scratch)", final.from)
	}
	find := func(st dockerStage, op string) []string {
		var out []string
		for _, in := range st.instr {
			if in[0] == op {
				out = append(out, in[1])
			}
		}
		return out
	}
	users := find(final, "USER")
	if len(users) == 0 {
		t.Error("the final stage sets no USER: it would run as root")
	}
	for _, u := range users {
		if name, _, _ := strings.Cut(u, ":"); name == "root" || name == "0" {
			t.Errorf("USER %s", u)
		}
	}
	hc := find(final, "HEALTHCHECK")
	if len(hc) != 1 || !strings.Contains(hc[0], `"health"`) || !strings.Contains(hc[0], "/readyz") {
		t.Errorf("HEALTHCHECK %q: want baocao health on /readyz", hc)
	}
	entry := find(final, "ENTRYPOINT")
	if len(entry) != 1 {
		t.Fatalf("ENTRYPOINT %q", entry)
	}
	binPath := strings.Trim(strings.Trim(entry[0], "[]"), `"`)
	copied := false
	for _, c := range find(final, "COPY") {
		f := strings.Fields(c)
		if strings.HasPrefix(f[0], "--from=") && f[len(f)-1] == binPath {
			copied = true
		}
	}
	if !copied {
		t.Errorf("the final stage does not copy the binary to %s, its ENTRYPOINT", binPath)
	}

	// The build commands of the build stage: baocao's, and
	// baocao-render's (the same package with -tags renderonly, which
	// TestRenderOnlyBinary builds and checks), copied beside it.
	var build, renderOnly []string
	for _, st := range stages[:len(stages)-1] {
		for _, r := range find(st, "RUN") {
			switch {
			case strings.Contains(r, "go build") && strings.Contains(r, "-o /out/baocao-render "):
				renderOnly = shellWords(r)
			case strings.Contains(r, "go build"):
				build = shellWords(r)
			}
		}
	}
	if build == nil {
		t.Fatal("no RUN … go build in a build stage")
	}
	if line := strings.Join(renderOnly, " "); !strings.Contains(line, "-tags renderonly") || !strings.Contains(line, "CGO_ENABLED=0") {
		t.Errorf("baocao-render's build %q: want CGO_ENABLED=0 and -tags renderonly", line)
	}
	renderCopied := false
	for _, c := range find(final, "COPY") {
		if f := strings.Fields(c); f[len(f)-1] == "/usr/local/bin/baocao-render" {
			renderCopied = true
		}
	}
	if !renderCopied {
		t.Error("the final stage does not copy baocao-render to /usr/local/bin/baocao-render")
	}
	var env []string
	for len(build) > 0 && strings.Contains(build[0], "=") && !strings.HasPrefix(build[0], "-") {
		env = append(env, build[0])
		build = build[1:]
	}
	line := strings.Join(build, " ")
	if !strings.Contains(strings.Join(env, " "), "CGO_ENABLED=0") || !strings.Contains(line, "-trimpath") || !strings.Contains(line, "-X main.version=${VERSION}") {
		t.Errorf("build command %q %q: want CGO_ENABLED=0, -trimpath and -X main.version=${VERSION}", env, line)
	}
	if testing.Short() {
		t.Skip("-short: not building the binary")
	}
	if build[0] != "go" || build[1] != "build" {
		t.Fatalf("build command %q", build)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "baocao")
	args := []string{}
	for i := 2; i < len(build); i++ {
		a := strings.ReplaceAll(build[i], "${VERSION}", "v0.0.0-dockerfile-test")
		switch {
		case a == "-o":
			i++
			args = append(args, "-o", bin)
		case a == "./cmd/baocao":
			args = append(args, "baocao/cmd/baocao")
		default:
			args = append(args, a)
		}
	}
	cmd := exec.Command("go", append([]string{"build"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %q: %v\n%s", args, err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary is dynamically linked (%v)", p.Type)
		}
	}
	f.Close()
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "baocao v0.0.0-dockerfile-test (") || !strings.Contains(string(out), runtime.Version()) {
		t.Errorf("version: %v %s", err, out)
	}
	plan, err := filepath.Abs("../../testdata/plans/lai-chau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	run := exec.Command(bin, "render", "--in", plan, "--out", "plan.pdf")
	run.Dir = dir
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("render from an empty directory: %v %s", err, out)
	}
	if pdf, err := os.ReadFile(filepath.Join(dir, "plan.pdf")); err != nil || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Errorf("render from an empty directory: %v", err)
	}
}

// TestVersion: version names the build.
func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "baocao ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("version: %d %q", code, out)
	}
	version = "v1.2.3"
	defer func() { version = "" }()
	if _, out, _ := runCLI(t, "", "version"); !strings.HasPrefix(out, "baocao v1.2.3 (") {
		t.Errorf("version set with -X: %q", out)
	}
}

// TestSystemdUnit: systemd reads the unit without a warning, and rates
// its exposure (systemd-analyze security) at most 2 of 10.
func TestSystemdUnit(t *testing.T) {
	sa := needTool(t, "systemd-analyze")
	data, err := os.ReadFile("../../deploy/systemd/baocao@.service")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// The binary need not be installed here: /bin/true stands for it.
	unit := strings.ReplaceAll(string(data), "/usr/local/bin/baocao", "/bin/true")
	if err := os.WriteFile(filepath.Join(dir, "baocao@.service"), []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("baocao@.service", filepath.Join(dir, "baocao@8081.service")); err != nil {
		t.Fatal(err)
	}
	inst := filepath.Join(dir, "baocao@8081.service")
	out, err := exec.Command(sa, "verify", inst).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = exec.Command(sa, "security", "--offline=yes", inst).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in:\n%s", out)
	}
	if level, _ := strconv.ParseFloat(string(m[1]), 64); level > 2 {
		t.Errorf("exposure %s, want at most 2.0:\n%s", m[1], out)
	}
}

// TestNginxConfig: nginx accepts the example (nginx -t), with a
// certificate made here in place of the real one.
func TestNginxConfig(t *testing.T) {
	ngx := needTool(t, "nginx")
	dir := t.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "baocao.example.gov.vn"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"baocao.example.gov.vn"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert, pkey := filepath.Join(dir, "fullchain.pem"), filepath.Join(dir, "privkey.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pkey, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../deploy/nginx/baocao.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.NewReplacer("/etc/ssl/baocao/fullchain.pem", cert, "/etc/ssl/baocao/privkey.pem", pkey).Replace(string(data))
	if err := os.WriteFile(filepath.Join(dir, "baocao.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	main := "pid " + filepath.Join(dir, "nginx.pid") + ";\nerror_log stderr;\nevents {}\nhttp {\n  access_log off;\n  include " + filepath.Join(dir, "baocao.conf") + ";\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(ngx, "-t", "-q", "-p", dir, "-e", "stderr", "-c", filepath.Join(dir, "nginx.conf")).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("nginx -t: %v\n%s", err, out)
	}
}
