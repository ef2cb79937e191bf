"""What every source's tests share: a clean environment for CLI subprocesses and the runs in them (kill -9
included), the sandbox's control API, and exact-set assertions that say what is missing and what is extra."""

from crm_pipelines_tests.support.cli import finish, kill_9_once, start_materialize
from crm_pipelines_tests.support.environment import cli_environment, env_without_credentials
from crm_pipelines_tests.support.exact import assert_same_keys
from crm_pipelines_tests.support.sandbox_control import SandboxControl

__all__ = ["SandboxControl", "assert_same_keys", "cli_environment", "env_without_credentials", "finish",
           "kill_9_once", "start_materialize"]
