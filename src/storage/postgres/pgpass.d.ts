// pgpass ships no types: the one function stayaudit calls.
declare module 'pgpass' {
  namespace pgpass {
    interface ConnectionInfo {
      host?: string;
      port?: number | string;
      database?: string;
      user?: string;
    }
  }
  function pgpass(info: pgpass.ConnectionInfo, callback: (password: string | undefined) => void): void;
  export default pgpass;
}
