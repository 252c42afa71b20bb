package server

import (
	"net/http"
)

// editPageRoutes are the pages of editing in the browser: plans, their
// tasks and imports, agencies (the secretariat and administrators),
// accounts and keys (administrators), one's own password (everyone).
func (s *Server) editPageRoutes() {
	h := s.handle
	const get, post = http.MethodGet, http.MethodPost
	h(get, "/plans/new", s.planNewPage, editors, "")
	h(post, "/plans/new", s.planNewPost, editors, "plan.create")
	h(post, "/plans/new/preview", s.planNewPreview, editors, "")
	h(get, "/plans/:id/edit", s.planEditPage, editors, "")
	h(post, "/plans/:id/edit", s.planEditPost, editors, "plan.update")
	h(post, "/plans/:id/preview", s.planEditPreview, editors, "")
	h(get, "/plans/:id/tasks", s.tasksPage, editors, "")
	h(get, "/plans/:id/tasks/new", s.taskNewPage, editors, "")
	h(post, "/plans/:id/tasks/new", s.taskNewPost, editors, "task.create")
	h(get, "/plans/:id/tasks/:task/edit", s.taskEditPage, editors, "")
	h(post, "/plans/:id/tasks/:task/edit", s.taskEditPost, editors, "task.update")
	h(post, "/plans/:id/tasks/:task/move", s.taskMovePost, editors, "task.reorder")
	h(post, "/plans/:id/tasks/:task/delete", s.taskDeletePost, editors, "task.delete")
	h(get, "/plans/:id/import", s.importPage, editors, "")
	h(post, "/plans/:id/import", s.importPreview, editors, "")
	h(post, "/plans/:id/import/confirm", s.importConfirm, editors, "task.import")
	h(get, "/agencies", s.agenciesPage, editors, "")
	h(get, "/agencies/new", s.agencyNewPage, editors, "")
	h(post, "/agencies/new", s.agencyNewPost, editors, "agency.create")
	h(get, "/agencies/:id/edit", s.agencyEditPage, editors, "")
	h(post, "/agencies/:id/edit", s.agencyEditPost, editors, "agency.update")
	h(post, "/agencies/:id/merge", s.agencyMergePost, editors, "agency.merge")
	h(get, "/users", s.usersPage, admins, "")
	h(post, "/users", s.userCreatePost, admins, "user.create")
	h(post, "/users/:id/disable", s.userDisablePost, admins, "user.disable")
	h(post, "/users/:id/enable", s.userEnablePost, admins, "user.enable")
	h(post, "/users/:id/password", s.userPasswordPost, admins, "user.passwd")
	h(get, "/keys", s.keysPage, admins, "")
	h(post, "/keys", s.keyCreatePost, admins, "key.create")
	h(post, "/keys/:id/revoke", s.keyRevokePost, admins, "key.revoke")
	h(get, "/account/password", s.passwordPage, readers, "")
	h(post, "/account/password", s.passwordPost, readers, "user.passwd")
}
