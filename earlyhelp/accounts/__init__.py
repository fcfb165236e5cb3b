"""People and organisations: users, roles, agencies, districts, line management, sign-in and the
access rules every view declares.
"""
