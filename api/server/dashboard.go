package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/workflow"
)

// GET /api/v1/dashboard: the period dashboard for applications (a
// province's or a ministry's portal): the same figures as the /dashboard
// page, from workflow.Service.Dashboard, as JSON.

type dashboardJSON struct {
	Period     string                `json:"period"`
	PeriodName string                `json:"period_name"`
	Plans      []dashboardPlanJSON   `json:"plans"`
	Agencies   []dashboardAgencyJSON `json:"agencies"`
}

type dashboardPlanJSON struct {
	ID        int64           `json:"id"`
	Reference string          `json:"reference"`
	Title     string          `json:"title"`
	AsOf      string          `json:"as_of"`
	ReportDue string          `json:"report_due"`
	Counts    workflow.Counts `json:"counts"`
}

type dashboardAgencyJSON struct {
	Key      string              `json:"key"`
	Name     string              `json:"name"`
	Label    string              `json:"label"`
	Counts   workflow.Counts     `json:"counts"`
	Reported []dashboardItemJSON `json:"reported"`
	Missing  []dashboardItemJSON `json:"missing"`
}

type dashboardItemJSON struct {
	PlanID     int64    `json:"plan_id"`
	PlanRef    string   `json:"plan_reference"`
	TaskID     int64    `json:"task_id"`
	Number     int      `json:"number"`
	Content    string   `json:"content"`
	Deadline   string   `json:"deadline"`
	Due        string   `json:"due"`
	Ongoing    bool     `json:"ongoing"`
	Leads      []string `json:"leads"`
	Status     string   `json:"status"`
	StatusName string   `json:"status_name"`
	Late       bool     `json:"late_report"`
	ReportedOn string   `json:"reported_on,omitempty"`
}

func (s *Server) dashboardAPI(c echo.Context) error {
	p, d, err := s.dashboard(c)
	if err != nil {
		return err
	}
	out := dashboardJSON{Period: p.Code(), PeriodName: p.Name(),
		Plans: make([]dashboardPlanJSON, 0, len(d.Plans)), Agencies: make([]dashboardAgencyJSON, 0, len(d.Agencies))}
	for _, l := range d.Plans {
		out.Plans = append(out.Plans, dashboardPlanJSON{ID: l.ID, Reference: l.Reference, Title: l.Title,
			AsOf: l.AsOf.Format(time.DateOnly), ReportDue: l.ReportDue.Format(time.DateOnly), Counts: l.Counts})
	}
	for _, a := range d.Agencies {
		out.Agencies = append(out.Agencies, dashboardAgencyJSON{Key: a.Key, Name: a.Name, Label: a.Label, Counts: a.Counts,
			Reported: dashboardItems(a.Reported), Missing: dashboardItems(a.Missing)})
	}
	return c.JSON(http.StatusOK, out)
}

func dashboardItems(items []workflow.DashboardItem) []dashboardItemJSON {
	out := make([]dashboardItemJSON, 0, len(items))
	for _, it := range items {
		leads := it.Leads
		if leads == nil {
			leads = []string{}
		}
		out = append(out, dashboardItemJSON{PlanID: it.PlanID, PlanRef: it.PlanRef, TaskID: it.TaskID, Number: it.Number,
			Content: it.Content, Deadline: it.Deadline, Due: it.Due, Ongoing: it.Ongoing, Leads: leads,
			Status: it.Status, StatusName: it.StatusName, Late: it.Late, ReportedOn: it.ReportedOn})
	}
	return out
}
