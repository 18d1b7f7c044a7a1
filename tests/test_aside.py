"""analysis.publish.workers.Aside: a function run in another process (a single report's analysis
notebooks on the spare core): its result, its Vietnamese error raised again here, a death said in
Vietnamese, and stop() leaves no process behind."""

import errno
import os
import signal
import sys
import threading
import time

import pytest

from analysis.errors import DataError, RenderError
from analysis.publish.workers import Aside


def _pid_and(value):
    return os.getpid(), value


def _data_error(message):
    raise DataError(message)


def _fault():
    return {}["thiếu"]


def _disk_full():
    raise OSError(errno.ENOSPC, "No space left on device")


def _big():
    return "Ia Chim " * 200_000  # 1,6 MB: more than a pipe holds


class _Unpicklable(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.lock = threading.Lock()  # no pickle for a lock


def _unpicklable():
    raise _Unpicklable("khóa")


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


def _forever():
    while True:
        time.sleep(0.05)


def test_the_result_comes_from_another_process():
    pid, value = Aside(_pid_and, {"02_xu_huong": "/tmp/02.ipynb"}).result()
    assert pid != os.getpid() and value == {"02_xu_huong": "/tmp/02.ipynb"}


def test_an_error_for_the_analyst_is_raised_here_as_it_was():
    with pytest.raises(DataError, match="^biểu 01 thiếu cột số hộ$"):
        Aside(_data_error, "biểu 01 thiếu cột số hộ").result()


def test_a_fault_is_raised_here_as_it_was():
    with pytest.raises(KeyError, match="thiếu"):
        Aside(_fault).result()


def test_an_os_error_is_raised_here_as_it_was():  # the run says it in Vietnamese (publish: why())
    with pytest.raises(OSError) as raised:
        Aside(_disk_full).result()
    assert raised.value.errno == errno.ENOSPC


def test_an_exception_that_does_not_pickle_is_named():
    with pytest.raises(RenderError, match="^_Unpicklable: khóa$"):
        Aside(_unpicklable).result()


def test_a_result_larger_than_a_pipe_arrives_whole():
    assert Aside(_big).result() == "Ia Chim " * 200_000


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_process_that_dies_is_said_in_vietnamese():
    with pytest.raises(RenderError, match="bị dừng đột ngột"):
        Aside(_die).result()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_stop_ends_and_reaps_it():
    aside = Aside(_forever)
    aside.stop()
    assert not aside._process.is_alive() and aside._process.exitcode == -signal.SIGKILL


_WARMED = []


def _warm_here():
    _WARMED.append(os.getpid())


def _warmed_in_this_process():
    return list(_WARMED) == [os.getpid()]


def _failing_warm_up():
    raise ImportError("thiếu thư viện")


def test_a_warm_aside_gets_its_work_later_in_the_process_it_warmed():
    aside = Aside(name="analysis-notebooks", warm_up=_warm_here)
    aside.run(_warmed_in_this_process)
    assert aside.result() is True  # warmed once, in its own process, before the work


def test_a_warm_up_that_fails_leaves_the_work_to_say_it():
    aside = Aside(warm_up=_failing_warm_up)
    aside.run(_data_error, "biểu 02 thiếu cột tình trạng")
    with pytest.raises(DataError, match="^biểu 02 thiếu cột tình trạng$"):
        aside.result()


def test_a_warm_aside_runs_one_work_only():
    aside = Aside(warm_up=_warm_here)
    aside.run(_pid_and, 1)
    with pytest.raises(RuntimeError):
        aside.run(_pid_and, 2)
    assert aside.result()[1] == 1


def test_a_warm_aside_never_given_work_is_ended_and_reaped():
    aside = Aside(warm_up=_warm_here)
    aside.stop()
    assert not aside._process.is_alive()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_warm_aside_that_dies_while_warming_up_is_said_in_vietnamese():
    aside = Aside(warm_up=_die)
    aside._process.join()  # dead before its work is sent: the send finds no reader
    aside.run(_pid_and, 1)
    with pytest.raises(RenderError, match="bị dừng đột ngột"):
        aside.result()
