try:
    from analysis.cli import entry
except KeyboardInterrupt:  # Ctrl+C while the command is still loading: the same exit as later on
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second one while exiting changes nothing
    from analysis.interrupts import forget_interrupt

    forget_interrupt()  # the interrupt may have left a string exec (CPython then exits by SIGINT)
    print("Đã dừng theo yêu cầu (Ctrl+C); các báo cáo cũ giữ nguyên.", file=sys.stderr)
    raise SystemExit(130) from None

if __name__ == "__main__":  # not when a spawned worker process imports it
    entry()
