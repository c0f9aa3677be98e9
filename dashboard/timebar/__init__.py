"""timebar"""
