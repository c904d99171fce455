/**
 * Login profiles (a user's console password): created, read, updated, deleted. The password
 * itself is checked against the account's password policy, as AWS checks it, and not kept:
 * nothing here signs anyone in to a console.
 */
import type { IamApi } from './api.generated.js';
import { date, find, NOT_FOUND, type Iam } from './common.js';
import { iamError } from './errors.js';
import { keyOf, type IamState, type StoredUser } from './state.js';
import { callerUser, userOrCaller } from './users.js';

/** PasswordPolicyViolation when a password breaks the account's policy (AWS's minimum of 8 otherwise). */
export function checkPassword(state: IamState, password: string): void {
  const policy = state.account.passwordPolicy ?? {};
  const min = (policy['MinimumPasswordLength'] as number | undefined) ?? 8;
  const rules: [boolean, string][] = [
    [password.length < min, `Password should have a minimum length of ${min}`],
    [policy['RequireLowercaseCharacters'] === true && !/[a-z]/.test(password), 'Password should have at least one lowercase letter'],
    [policy['RequireUppercaseCharacters'] === true && !/[A-Z]/.test(password), 'Password should have at least one uppercase letter'],
    [policy['RequireNumbers'] === true && !/[0-9]/.test(password), 'Password should have at least one number'],
    [policy['RequireSymbols'] === true && !/[!@#$%^&*()_+\-=[\]{}|']/.test(password), 'Password should have at least one symbol'],
  ];
  const broken = rules.find(([fails]) => fails);
  if (broken) throw iamError('PasswordPolicyViolationException', broken[1]);
}

function loginOf(user: StoredUser): NonNullable<StoredUser['login']> {
  if (!user.login) throw iamError('NoSuchEntityException', `Login Profile for User ${user.name} cannot be found.`);
  return user.login;
}

/** The login profile operations and ChangePassword. */
export function loginProfileOperations(iam: Iam) {
  const { store } = iam;
  return {
    CreateLoginProfile(ctx, input) {
      const state = store.of(ctx);
      const user = userOrCaller(state, ctx, input.UserName);
      if (user.login) throw iamError('EntityAlreadyExistsException', `Login Profile for user ${user.name} already exists.`);
      if (input.Password === undefined) throw iamError('ValidationError', 'Password is required to create a login profile.');
      checkPassword(state, input.Password);
      user.login = { created: iam.now(), passwordResetRequired: input.PasswordResetRequired ?? false };
      store.changed(ctx, 'users', keyOf(user.name));
      return { LoginProfile: { UserName: user.name, CreateDate: date(user.login.created), PasswordResetRequired: user.login.passwordResetRequired } };
    },

    GetLoginProfile(ctx, input) {
      const user = userOrCaller(store.of(ctx), ctx, input.UserName);
      const login = loginOf(user);
      return { LoginProfile: { UserName: user.name, CreateDate: date(login.created), PasswordResetRequired: login.passwordResetRequired } };
    },

    UpdateLoginProfile(ctx, input) {
      const state = store.of(ctx);
      const user = find(state.users, input.UserName, NOT_FOUND.user);
      const login = loginOf(user);
      if (input.Password !== undefined) checkPassword(state, input.Password);
      if (input.PasswordResetRequired !== undefined) login.passwordResetRequired = input.PasswordResetRequired;
      store.changed(ctx, 'users', keyOf(user.name));
      return {};
    },

    ChangePassword(ctx, input) {
      const state = store.of(ctx);
      const user = callerUser(state, ctx);
      if (!user) throw iamError('InvalidUserTypeException', 'Only IAM Users can change their own password.');
      const login = loginOf(user);
      checkPassword(state, input.NewPassword);
      login.passwordResetRequired = false;
      store.changed(ctx, 'users', keyOf(user.name));
      return {};
    },

    DeleteLoginProfile(ctx, input) {
      const user = userOrCaller(store.of(ctx), ctx, input.UserName);
      loginOf(user);
      delete user.login;
      store.changed(ctx, 'users', keyOf(user.name));
      return {};
    },
  } satisfies Partial<IamApi>;
}
