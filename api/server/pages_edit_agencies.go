package server

import (
	"baocao/domain"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// The secretariat's agency pages: the list (with each agency's parent
// where names repeat, and its aliases), a form to add or edit one (its
// aliases one per line), and merging a duplicate into the agency that
// stays (workflow.Service: CreateAgency, UpdateAgency, MergeAgency).

// agencyForm is the agency form as typed.
type agencyForm struct {
	Name, ShortName, Header, Symbol, Place, Aliases string
	ParentID                                        int64
}

var agencyFormFields = []string{"name", "short_name", "header", "symbol", "place", "aliases", "parent_id", "into"}

func agencyFormOf(a domain.Agency) agencyForm {
	f := agencyForm{Name: a.Name, ShortName: a.ShortName, Header: strings.Join(a.Header, "\n"), Symbol: a.Symbol,
		Place: a.Place, Aliases: strings.Join(a.Aliases, "\n")}
	if a.ParentID != nil {
		f.ParentID = *a.ParentID
	}
	return f
}

func agencyFormFrom(c echo.Context) agencyForm {
	v := c.FormValue
	f := agencyForm{Name: v("name"), ShortName: v("short_name"), Header: v("header"), Symbol: v("symbol"), Place: v("place"), Aliases: v("aliases")}
	n, _ := formInt(c, "parent_id")
	f.ParentID = int64(max(n, 0))
	return f
}

func (f agencyForm) input(version int64) domain.AgencyInput {
	aliases := lines(f.Aliases)
	if aliases == nil {
		aliases = []string{}
	}
	in := domain.AgencyInput{AgencyFields: domain.AgencyFields{Name: f.Name, ShortName: f.ShortName, Header: lines(f.Header),
		Symbol: f.Symbol, Place: f.Place}, Aliases: &aliases, Version: version}
	if f.ParentID != 0 {
		p := f.ParentID
		in.ParentID = &p
	}
	return in
}

func (s *Server) agenciesPage(c echo.Context) error {
	list, err := s.store.ListAgencies(c.Request().Context())
	if err != nil {
		return err
	}
	return s.page(c, http.StatusOK, "agencies", "Cơ quan, đơn vị", view{Data: map[string]any{"Agencies": list}})
}

// showAgencyForm renders the form of a new agency (a.ID 0) or of a.
func (s *Server) showAgencyForm(c echo.Context, status int, a domain.Agency, f agencyForm, errs formErrs, alert string) error {
	list, err := s.store.ListAgencies(c.Request().Context())
	if err != nil {
		return err
	}
	var others []domain.Agency
	for _, o := range list {
		if o.ID != a.ID {
			others = append(others, o)
		}
	}
	title := "Thêm cơ quan"
	if a.ID != 0 {
		title = "Sửa cơ quan"
	}
	data := map[string]any{"Agency": a, "Form": f, "Errors": errs, "Others": others}
	return s.page(c, status, "agency_edit", title, view{Alert: alert, Data: data})
}

func (s *Server) agencyNewPage(c echo.Context) error {
	return s.showAgencyForm(c, http.StatusOK, domain.Agency{}, agencyForm{}, nil, "")
}

func (s *Server) agencyFromPath(c echo.Context) (domain.Agency, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return domain.Agency{}, err
	}
	return s.store.GetAgency(c.Request().Context(), id)
}

func (s *Server) agencyEditPage(c echo.Context) error {
	a, err := s.agencyFromPath(c)
	if err != nil {
		return err
	}
	return s.showAgencyForm(c, http.StatusOK, a, agencyFormOf(a), nil, "")
}

func (s *Server) agencyNewPost(c echo.Context) error {
	f := agencyFormFrom(c)
	a, err := s.wf.CreateAgency(c.Request().Context(), actorOf(c), f.input(0))
	if err != nil {
		return s.agencyRefused(c, err, domain.Agency{}, f)
	}
	return s.redirectWith(c, "/agencies#agency-"+itoa64(a.ID), "Đã thêm cơ quan "+a.Name+".")
}

func (s *Server) agencyEditPost(c echo.Context) error {
	a, err := s.agencyFromPath(c)
	if err != nil {
		return err
	}
	f := agencyFormFrom(c)
	a.Version = formVersion(c)
	na, err := s.wf.UpdateAgency(c.Request().Context(), actorOf(c), a.ID, f.input(a.Version))
	if err != nil {
		return s.agencyRefused(c, err, a, f)
	}
	return s.redirectWith(c, "/agencies#agency-"+itoa64(na.ID), "Đã lưu cơ quan "+na.Name+".")
}

// agencyMergePost folds the agency into the one chosen.
func (s *Server) agencyMergePost(c echo.Context) error {
	a, err := s.agencyFromPath(c)
	if err != nil {
		return err
	}
	into, _ := formInt(c, "into")
	version := formVersion(c)
	m, err := s.wf.MergeAgency(c.Request().Context(), actorOf(c), a.ID, int64(into), version)
	if err != nil {
		a.Version = version
		return s.agencyRefused(c, err, a, agencyFormOf(a))
	}
	s.keys.clear() // keys of the merged agency now act for the other
	c.Set(auditDetailKey, m.Detail)
	return s.redirectWith(c, "/agencies#agency-"+itoa64(m.Agency.ID),
		fmt.Sprintf("Đã gộp “%s” vào “%s”: nhiệm vụ, báo cáo, kế hoạch, người dùng chuyển sang; tên cũ trở thành tên gọi khác.", m.From.Name, m.Agency.Name))
}

func (s *Server) agencyRefused(c echo.Context, err error, a domain.Agency, f agencyForm) error {
	errs, alert, ok := refusal(err, agencyFormFields...)
	if !ok {
		return err
	}
	status := refusedStatus(err)
	return s.showAgencyForm(c, status, a, f, errs, alert)
}
