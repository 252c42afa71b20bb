package jobs

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"time"

	"github.com/wneessen/go-mail"
)

// MailConfig is the SMTP server e-mail goes through.
type MailConfig struct {
	Host string // empty: no e-mail is sent
	Port int    // default 587 (465 with TLS "tls", 25 with "none")
	// TLS is "starttls" (the default: STARTTLS, required), "tls" (TLS
	// from the first byte, SMTPS) or "none" (plain, for a relay on the
	// same machine).
	TLS                string
	Username, Password string // SMTP AUTH (PLAIN over TLS), when set
	From               string // the sender, "Văn phòng UBND tỉnh <baocao@laichau.gov.vn>"
	Timeout            time.Duration
	// RootCAs are the authorities the server's certificate is checked
	// against (an intranet server's own CA); nil: the system's.
	RootCAs *x509.CertPool
}

// LoadCAs reads PEM certificates for MailConfig.RootCAs.
func LoadCAs(file string) (*x509.CertPool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("SMTP CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("SMTP CA file %s: no PEM certificate in it", file)
	}
	return pool, nil
}

// Message is one e-mail.
type Message struct {
	To      []string
	Subject string
	Body    string // plain text, UTF-8
}

// Mailer sends e-mail.
type Mailer interface {
	Send(ctx context.Context, msgs ...Message) error
	Enabled() bool
}

// smtpMailer sends through an SMTP server with go-mail.
type smtpMailer struct{ cfg MailConfig }

func newSMTP(cfg MailConfig) *smtpMailer { return &smtpMailer{cfg: cfg} }

func (m *smtpMailer) Enabled() bool { return m.cfg.Host != "" }

// CheckMail checks a mail configuration (serve and worker refuse to
// start with a bad one).
func CheckMail(c MailConfig) error {
	if c.Host == "" {
		return nil
	}
	switch c.TLS {
	case "", "starttls", "tls", "none":
	default:
		return fmt.Errorf("SMTP TLS must be starttls, tls or none, not %q", c.TLS)
	}
	if c.From == "" {
		return fmt.Errorf("an SMTP host needs a sender (From)")
	}
	if err := mail.NewMsg().From(c.From); err != nil {
		return fmt.Errorf("SMTP sender %q: %w", c.From, err)
	}
	return nil
}

func (m *smtpMailer) client() (*mail.Client, error) {
	c := m.cfg
	opts := []mail.Option{mail.WithTimeout(cmp.Or(c.Timeout, 30*time.Second))}
	port := c.Port
	switch c.TLS {
	case "tls":
		opts = append(opts, mail.WithSSL())
		if port == 0 {
			port = 465
		}
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
		if port == 0 {
			port = 25
		}
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
		if port == 0 {
			port = 587
		}
	}
	opts = append(opts, mail.WithPort(port),
		mail.WithTLSConfig(&tls.Config{ServerName: c.Host, RootCAs: c.RootCAs, MinVersion: tls.VersionTLS12}))
	if c.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(c.Username), mail.WithPassword(c.Password))
	}
	return mail.NewClient(c.Host, opts...)
}

// Send sends msgs over one connection.
func (m *smtpMailer) Send(ctx context.Context, msgs ...Message) error {
	if !m.Enabled() {
		return fmt.Errorf("no SMTP server is configured")
	}
	out := make([]*mail.Msg, 0, len(msgs))
	for _, msg := range msgs {
		mm := mail.NewMsg(mail.WithCharset(mail.CharsetUTF8), mail.WithEncoding(mail.EncodingQP))
		if err := mm.From(m.cfg.From); err != nil {
			return fmt.Errorf("sender: %w", err)
		}
		if err := mm.To(msg.To...); err != nil {
			return fmt.Errorf("recipients: %w", err)
		}
		mm.Subject(msg.Subject)
		mm.SetDate()
		mm.SetMessageID()
		mm.SetBodyString(mail.TypeTextPlain, msg.Body)
		out = append(out, mm)
	}
	c, err := m.client()
	if err != nil {
		return fmt.Errorf("SMTP: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, out...); err != nil {
		return fmt.Errorf("SMTP %s: %w", m.cfg.Host, err)
	}
	return nil
}
