//! The trusca team server: stores uploaded scans and serves portfolio views (see DESIGN.md, Server).
